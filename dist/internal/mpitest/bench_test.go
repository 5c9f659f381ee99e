package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/descent-ml/descent/dist"
)

// The benchmarks measure dist's collectives on the world the test binary
// runs in. Under MPI every rank must run the same number of iterations, so
// give a fixed count:
//
//	go test -c -tags mpi -o /tmp/mpitest.test ./dist/internal/mpitest
//	mpirun -np 2 /tmp/mpitest.test -test.run '^$' -test.bench . -test.benchtime 1000x
//
// Rank 0's lines are the world's figures (every rank prints its own).
// MB/s is the message size over the time of one call (algorithm bandwidth).

// world is the Comm the benchmarks use.
var world dist.Comm

func TestMain(m *testing.M) {
	flag.Parse()
	c, err := dist.Init()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	world = c
	bench := flag.Lookup("test.bench").Value.String()
	benchtime := flag.Lookup("test.benchtime").Value.String()
	if c.Size() > 1 && bench != "" && !strings.HasSuffix(benchtime, "x") {
		c.Abort(2, fmt.Sprintf("mpitest: under MPI the benchmarks need a fixed iteration count, such as -test.benchtime 1000x; got %q", benchtime))
	}
	code := m.Run()
	if err := dist.Finalize(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	os.Exit(code)
}

// sizes are the message sizes in bytes.
var sizes = []struct {
	name  string
	bytes int
}{{"8B", 8}, {"1KB", 1 << 10}, {"64KB", 64 << 10}, {"1MB", 1 << 20}, {"8MB", 8 << 20}}

func BenchmarkAllreduceSum64(b *testing.B) {
	for _, s := range sizes {
		b.Run(s.name, func(b *testing.B) {
			buf := make([]float64, s.bytes/8)
			b.SetBytes(int64(s.bytes))
			b.ReportAllocs()
			check(world.AllreduceSum64(buf)) // warm-up, as the C peer's
			check(world.Barrier())
			for b.Loop() {
				check(world.AllreduceSum64(buf))
			}
		})
	}
}

func BenchmarkAllreduceSum32(b *testing.B) {
	buf := make([]float32, (1<<20)/4)
	b.SetBytes(1 << 20)
	b.ReportAllocs()
	check(world.Barrier())
	for b.Loop() {
		check(world.AllreduceSum32(buf))
	}
}

func BenchmarkBcast64(b *testing.B) {
	buf := make([]float64, (1<<20)/8)
	b.SetBytes(1 << 20)
	b.ReportAllocs()
	check(world.Barrier())
	for b.Loop() {
		check(world.Bcast64(buf, 0))
	}
}

func BenchmarkBarrier(b *testing.B) {
	b.ReportAllocs()
	check(world.Barrier())
	for b.Loop() {
		check(world.Barrier())
	}
}

// check aborts the world on an error: a rank that stopped alone would
// leave the others waiting.
func check(err error) {
	if err != nil {
		world.Abort(1, err.Error())
	}
}
