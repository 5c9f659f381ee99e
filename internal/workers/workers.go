// Package workers is a pool of long-lived goroutines for splitting one call's
// work: tasks are handed to them over an unbuffered channel, so a hand-off
// succeeds only while a worker is idle and waiting, and a task no worker takes
// falls to the caller, which never queues work behind a busy pool. The
// executor's split batches (package graph) and the GEMM's split products
// (internal/gemm) each keep a Pool of their own.
package workers

import "sync"

// Task is work handed to a worker.
type Task interface{ Run() }

// Pool is a set of worker goroutines; its zero value has none and is ready
// to use. Workers run for the life of the process.
type Pool struct {
	mu sync.Mutex
	n  int
	ch chan Task
}

// Ensure starts workers until at least n are running.
func (p *Pool) Ensure(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ch == nil {
		p.ch = make(chan Task)
	}
	for ; p.n < n; p.n++ {
		go func(ch chan Task) {
			for t := range ch {
				t.Run()
			}
		}(p.ch)
	}
}

// Offer hands t to an idle worker and reports whether one took it; false
// leaves t to the caller. Call Ensure first.
func (p *Pool) Offer(t Task) bool {
	select {
	case p.ch <- t:
		return true
	default:
		return false
	}
}
