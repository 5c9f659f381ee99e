package workers

import (
	"sync"
	"testing"
	"time"
)

type taskFunc func()

func (f taskFunc) Run() { f() }

// TestOffer: a task goes only to an idle worker; with every worker busy (or
// none started) Offer declines and the caller keeps the task.
func TestOffer(t *testing.T) {
	var p Pool
	if p.ch != nil {
		t.Fatal("the zero Pool has a channel")
	}
	p.Ensure(1)
	release := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	busy := taskFunc(func() { wg.Done(); <-release })
	deadline := time.Now().Add(10 * time.Second)
	for !p.Offer(busy) { // the worker may not be waiting yet
		if time.Now().After(deadline) {
			t.Fatal("an idle worker never took a task")
		}
		time.Sleep(time.Millisecond)
	}
	wg.Wait()
	if p.Offer(taskFunc(func() {})) {
		t.Error("a task was taken while the only worker was busy")
	}
	close(release)
	p.Ensure(1)
	if p.n != 1 {
		t.Errorf("Ensure(1) twice started %d workers", p.n)
	}
}
