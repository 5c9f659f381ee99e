package bench

import (
	"strings"
	"sync"
	"testing"
)

// dataCache shares each problem's data between benchmarks: the
// 100000×100 sets take a while to build.
var dataCache sync.Map // problem name → *Data

func benchData(b *testing.B, p Problem) *Data {
	if d, ok := dataCache.Load(p.Name); ok {
		return d.(*Data)
	}
	d, err := NewData(p)
	if err != nil {
		b.Fatal(err)
	}
	dataCache.Store(p.Name, d)
	return d
}

// benchKind runs kind-<size>/<contender> for every size and registered
// contender.
func benchKind(b *testing.B, kind string, sizes ...string) {
	for _, size := range sizes {
		p, err := ParseProblem(kind + "-" + size)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strings.TrimPrefix(p.Name, kind+"-"), func(b *testing.B) {
			d := benchData(b, p)
			for _, c := range Contenders() {
				b.Run(c.Name, func(b *testing.B) {
					s, err := c.New(p, d)
					if err == ErrUnsupported {
						b.Skip("unsupported")
					}
					if err != nil {
						b.Fatal(err)
					}
					defer closeStepper(s)
					b.ReportAllocs()
					for b.Loop() {
						if err := s.Step(); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

func BenchmarkLinReg(b *testing.B)  { benchKind(b, "linreg", "5x1", "1000x10", "100000x100") }
func BenchmarkLogReg(b *testing.B)  { benchKind(b, "logreg", "1000x10", "100000x100") }
func BenchmarkSoftmax(b *testing.B) { benchKind(b, "softmax", "1000x10x10", "100000x100x10") }
func BenchmarkMLP(b *testing.B)     { benchKind(b, "mlp", "digits") }
