// Command mpitest exercises package dist under a real MPI launcher; the
// tests of package dist build it and run it with mpirun -np 2 and 3.
//
//	mpitest collectives           check sums, broadcasts, barrier, errors
//	mpitest abort RANK            RANK aborts with code 3, the others wait
//	mpitest exit RANK             RANK exits with status 5 without Abort
//	mpitest kill RANK             RANK kills itself with SIGKILL
//	mpitest hang RANK TIMEOUT     RANK sleeps, the others' watchdog fires
//	                              (TIMEOUT 0: no watchdog, for mpirun --timeout)
//
// Every rank prints "rank R of N: <mode> ok" when its part succeeded. A
// failed check aborts the world with "rank R: <what failed>".
package main

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/descent-ml/descent/dist"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		l, _ := dist.Detect()
		fmt.Fprintf(os.Stderr, "rank %d: %v\n", l.Rank, err)
		os.Exit(1)
	}
}

// run initializes the world and runs one mode.
func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("mpitest: want a mode: collectives, abort, exit, kill or hang")
	}
	c, err := dist.Init()
	if err != nil {
		return err
	}
	mode := args[0]
	switch mode {
	case "collectives":
		// Run the checks on a goroutine other than Init's: the binding
		// must not care which goroutine calls it.
		done := make(chan error)
		go func() { done <- collectives(c) }()
		if err := <-done; err != nil {
			c.Abort(2, err.Error())
		}
		if err := afterFinalize(c); err != nil {
			return err
		}
	case "abort", "exit", "kill", "hang":
		if err := fault(c, mode, args[1:]); err != nil {
			c.Abort(2, err.Error())
		}
		if err := dist.Finalize(); err != nil {
			return err
		}
	default:
		return fmt.Errorf("mpitest: unknown mode %q", mode)
	}
	fmt.Printf("rank %d of %d: %s ok\n", c.Rank(), c.Size(), mode)
	return nil
}

// fault makes rank args[0] fail in the way mode names while the other
// ranks wait in an allreduce.
func fault(c dist.Comm, mode string, args []string) error {
	if len(args) < 1 {
		return fmt.Errorf("mpitest: %s wants the failing rank", mode)
	}
	bad, err := strconv.Atoi(args[0])
	if err != nil {
		return fmt.Errorf("mpitest: rank must be an integer, got %q", args[0])
	}
	waiter := c
	if mode == "hang" {
		if len(args) < 2 {
			return fmt.Errorf("mpitest: hang wants a timeout")
		}
		d, err := time.ParseDuration(args[1])
		if err != nil {
			return fmt.Errorf("mpitest: %v", err)
		}
		if d != 0 {
			if waiter, err = dist.WithTimeout(c, d); err != nil {
				return err
			}
		}
	}
	if c.Rank() == bad {
		switch mode {
		case "abort":
			c.Abort(3, "mpitest: injected failure")
		case "exit":
			os.Exit(5)
		case "kill":
			return syscall.Kill(os.Getpid(), syscall.SIGKILL)
		case "hang":
			time.Sleep(time.Minute)
		}
		return nil
	}
	buf := make([]float64, 4)
	return waiter.AllreduceSum64(buf)
}

// afterFinalize finalizes and checks that the world refuses further use.
func afterFinalize(c dist.Comm) error {
	if err := dist.Finalize(); err != nil {
		return err
	}
	if err := dist.Finalize(); err != nil {
		return fmt.Errorf("second Finalize: %v", err)
	}
	if c.Size() == 1 {
		return nil
	}
	if err := c.AllreduceSum64(make([]float64, 1)); err == nil {
		return fmt.Errorf("AllreduceSum64 after Finalize returned no error")
	}
	if _, err := dist.Init(); err == nil {
		return fmt.Errorf("Init after Finalize returned no error")
	}
	return nil
}
