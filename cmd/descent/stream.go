package main

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/spf13/pflag"

	"github.com/descent-ml/descent/dist"
	"github.com/descent-ml/descent/job"
)

// streamFlags are train's flags for data larger than memory.
type streamFlags struct {
	on        bool
	aboveMiB  int64
	bufferMiB int64
	chunkMiB  int64
}

func addStreamFlags(fs *pflag.FlagSet) *streamFlags {
	s := &streamFlags{}
	fs.BoolVar(&s.on, "stream", false, "read --data in passes instead of into memory (data larger than memory): CSV or a row file from descent convert")
	fs.Int64Var(&s.aboveMiB, "stream-above", 1024, "stream --data by itself when the file is larger than this many MiB (0: only with --stream)")
	fs.Int64Var(&s.bufferMiB, "shuffle-buffer", 64, "with --stream: MiB of rows in the shuffle buffer (rows mix within about this many rows; chunks of 2 MiB are permuted too)")
	return s
}

// job returns the job's stream when --data is to be streamed: with
// --stream, or when the file is larger than --stream-above; nil
// otherwise (and always for compare, which has no stream flags).
func (s *streamFlags) job(path, dataset, target string, comm dist.Comm) (*job.Stream, error) {
	if s == nil {
		return nil, nil
	}
	switch {
	case s.aboveMiB < 0:
		return nil, flagErr("stream-above", ">= 0", s.aboveMiB)
	case s.bufferMiB < 1 || s.bufferMiB > 1<<20:
		return nil, flagErr("shuffle-buffer", "in [1, 1048576] MiB", s.bufferMiB)
	case s.on && path == "":
		return nil, fmt.Errorf("--stream reads a file: give --data FILE (CSV, or a row file from descent convert)")
	case s.on && dataset != "":
		return nil, fmt.Errorf("--stream reads --data FILE, not a built-in --dataset")
	}
	if !s.on {
		if path == "" || s.aboveMiB == 0 {
			return nil, nil
		}
		st, err := os.Stat(path)
		if err != nil || st.Size() <= s.aboveMiB<<20 {
			return nil, nil // a missing file is reported when it is read
		}
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// Keep the heap, whose live part is the shuffle buffer and a few
		// chunks, from growing to twice that between collections.
		debug.SetMemoryLimit(max(s.bufferMiB<<20*2, streamMemoryLimit))
	}
	return &job.Stream{Path: path, Target: target, BufferBytes: s.bufferMiB << 20, Comm: comm}, nil
}

// streamMemoryLimit is the Go runtime's soft memory limit while streaming
// with the default 64 MiB shuffle buffer (runtime/debug.SetMemoryLimit;
// GOMEMLIMIT overrides it): measured peak RSS on a 4.3 GB file stays under
// 300 MB with it.
const streamMemoryLimit = 192 << 20
