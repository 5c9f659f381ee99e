package main

import (
	"errors"
	"io"
	"os"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/dist"
	"github.com/descent-ml/descent/job"
)

// world is the MPI world `descent train` joined, if mpirun (or srun)
// started it as one rank of several: nil otherwise.
var world struct {
	mu   sync.Mutex
	comm dist.Comm
}

// joinWorld joins the world the launcher started (dist.Init), guarding
// every collective with a watchdog of timeout, and returns nil when the
// process runs alone.
func joinWorld(timeout time.Duration) (dist.Comm, error) {
	c, err := dist.Init()
	if err != nil {
		return nil, err
	}
	if c.Size() == 1 {
		return nil, nil
	}
	if c, err = dist.WithTimeout(c, timeout); err != nil {
		return nil, err
	}
	world.mu.Lock()
	world.comm = c
	world.mu.Unlock()
	return c, nil
}

// leaveWorld ends a data-parallel run as main returns with err. A rank
// that failed alone ends every rank: dist's Abort prints "rank R:
// descent: …" and mpirun exits non-zero. An outcome that every rank
// reached together (an interrupt, a divergence: errAgreed) waits until
// rank 0 has written its files, finalizes MPI and lets each rank exit
// with that status, rank 0 alone reporting it. A success finalizes too.
// It reports whether this process should keep quiet about err, and does
// nothing for a process that runs alone.
func leaveWorld(err error) (quiet bool) {
	world.mu.Lock()
	c := world.comm
	world.mu.Unlock()
	if c == nil {
		dist.Finalize() // a one-rank world that mpirun -np 1 started, if any
		return false
	}
	var agreed errAgreed
	if err != nil && !errors.Is(err, errInterrupted) && !errors.As(err, &agreed) {
		c.Abort(1, "descent: "+err.Error())
	}
	if err := c.Barrier(); err != nil { // rank 0 has written its files
		c.Abort(1, "descent: "+err.Error())
	}
	if err := dist.Finalize(); err != nil {
		c.Abort(1, "descent: "+err.Error())
	}
	return c.Rank() != 0
}

// errAgreed is an error every rank of a data-parallel run returns
// together, as a divergence is: the ranks need not abort each other.
type errAgreed struct{ error }

func (e errAgreed) Unwrap() error { return e.error }

// rankStderr is standard error, except on a rank other than 0 of a run
// that an MPI launcher started, which keeps quiet.
func rankStderr() io.Writer {
	if l, err := dist.Detect(); err == nil && l.Rank != 0 {
		return io.Discard
	}
	return os.Stderr
}

// distFlags are train's data-parallel settings.
type distFlags struct {
	timeout time.Duration
}

func addDistFlags(fs *pflag.FlagSet) *distFlags {
	d := &distFlags{}
	fs.DurationVar(&d.timeout, "mpi-timeout", 10*time.Minute, "under mpirun: abort every rank when one waits this long for the others in a collective (a hung or dead rank)")
	return d
}

// quietRank silences a rank other than 0 of a data-parallel run: only
// rank 0 prints and writes files.
func quietRank(cmd *cobra.Command, c dist.Comm) bool {
	if c == nil || c.Rank() == 0 {
		return false
	}
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	return true
}

// loadShard reads this rank's share of --data (its own byte range of the
// CSV file) or of a built-in --dataset (its contiguous rows).
func loadShard(cmd *cobra.Command, path, name string, opt data.CSVOptions, c dist.Comm) (*data.Dataset, *job.Shard, error) {
	if path != "" && name == "" {
		return job.ReadShard(path, opt, c)
	}
	ds, err := loadData(cmd, path, name, opt)
	if err != nil {
		return nil, nil, err
	}
	sh, s := job.ShardOf(ds, c)
	return sh, s, nil
}
