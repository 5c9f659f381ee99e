package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sync"
	"time"

	"github.com/descent-ml/descent/bench"
)

func ExampleParseProblem() {
	p, err := bench.ParseProblem("mlp-digits")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Kind, p.N, p.D, p.Hidden, p.K, p.Batch, p.Optimizer, p.LR)
	fmt.Println(p.Layers(), bench.ParamNames(p))
	_, err = bench.ParseProblem("linreg-5")
	fmt.Println(err)
	// Output:
	// mlp 1797 64 [128] 10 128 adam 0.001
	// [[64 128] [128 10]] [W1 b1 W2 b2]
	// bench: problem "linreg-5": shape "5" must have 2 sizes joined by x (want linreg-NxD, logreg-NxD, softmax-NxDxK, mlp-NxD-H…xK or one of cnn-digits, cnn-lenet, lenet-fashion, mlp-digits)
}

func ExampleNewData() {
	p, _ := bench.ParseProblem("softmax-4x3x2")
	d, err := bench.NewData(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("X[1,0] = sin(0.37) = %.6f\n", d.X[1*p.D+0])
	fmt.Println(len(d.X), "features,", len(d.Class), "class labels")
	// Output:
	// X[1,0] = sin(0.37) = 0.361615
	// 12 features, 4 class labels
}

func ExampleLoss() {
	p, _ := bench.ParseProblem("logreg-10x2")
	d, _ := bench.NewData(p)
	// At zero weights every logit is 0, so the loss is log 2.
	J, err := bench.Loss(p, d, bench.InitParams(p))
	fmt.Printf("%.6f %v\n", J, err)
	// Output:
	// 0.693147 <nil>
}

func ExampleRun() {
	tab, err := bench.Run(context.Background(), bench.Options{
		Problems:   []string{"linreg-1000x10"},
		Contenders: []string{"handgo", "fused", "gorgonia"},
		MinTime:    10 * time.Millisecond,
	}, io.Discard) // os.Stdout prints the table
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range tab.Rows {
		fmt.Println(r.Contender, r.Measured(), r.LossRelDiff <= bench.CheckTolerance)
	}
	fused, _ := tab.Row("linreg-1000x10", "fused")
	fmt.Println("fused allocations per step:", fused.AllocsPerStep)
	// Output:
	// handgo true true
	// fused true true
	// gorgonia true true
	// fused allocations per step: 0
}

// plainLinReg is a contender's Stepper: plain gradient descent on linreg,
// written the obvious way.
type plainLinReg struct {
	p    bench.Problem
	d    *bench.Data
	w    []float64
	b, r float64
}

func (s *plainLinReg) Step() error {
	g := make([]float64, s.p.D)
	var gb float64
	for i := range s.p.N {
		r := s.b - s.d.Y[i]
		for j := range s.p.D {
			r += s.d.X[i*s.p.D+j] * s.w[j]
		}
		for j := range s.p.D {
			g[j] += 2 * r * s.d.X[i*s.p.D+j] / float64(s.p.N)
		}
		gb += 2 * r / float64(s.p.N)
	}
	for j := range s.w {
		s.w[j] -= s.p.LR * g[j]
	}
	s.b -= s.p.LR * gb
	return nil
}

func (s *plainLinReg) Params() map[string][]float64 {
	return map[string][]float64{"W": append([]float64(nil), s.w...), "b": {s.b}}
}

// registerOnce keeps ExampleRegister from registering twice under
// go test -count=2; a contender's own file calls Register from init.
var registerOnce sync.Once

func ExampleRegister() {
	registerOnce.Do(func() {
		bench.Register(bench.Contender{Name: "example", New: func(p bench.Problem, d *bench.Data) (bench.Stepper, error) {
			if p.Kind != "linreg" {
				return nil, bench.ErrUnsupported
			}
			return &plainLinReg{p: p, d: d, w: make([]float64, p.D)}, nil
		}})
	})
	tab, _ := bench.Run(context.Background(), bench.Options{
		Problems: []string{"linreg-50x2", "logreg-50x2"}, Contenders: []string{"handgo", "example"},
		MinTime: time.Millisecond,
	}, io.Discard)
	for _, r := range tab.Rows {
		fmt.Println(r.Problem, r.Contender, r.LossRelDiff <= bench.CheckTolerance)
	}
	// Output:
	// linreg-50x2 handgo true
	// linreg-50x2 example true
	// logreg-50x2 handgo true
}

func ExampleTable_Ratio() {
	tab := &bench.Table{Rows: []bench.Row{
		{Problem: "p", Contender: "handgo", Handwritten: true, NsPerStep: 30},
		{Problem: "p", Contender: "fused", Handwritten: true, NsPerStep: 20},
		{Problem: "p", Contender: "gorgonia", NsPerStep: 41000},
	}}
	r, _ := tab.Ratio("p", "gorgonia", bench.BestGoName)
	fmt.Printf("gorgonia takes %.0f× the best Go step\n", r)
	// Output:
	// gorgonia takes 2050× the best Go step
}

func ExampleNamedProblems() {
	for _, name := range bench.NamedProblems() {
		p, _ := bench.ParseProblem(name)
		fmt.Println(name, p.Kind, p.Input, p.Float32)
	}
	// Output:
	// cnn-digits cnn [1 8 8] true
	// cnn-lenet cnn [1 28 28] true
	// lenet-fashion epoch [1 28 28] true
	// mlp-digits mlp [] false
}

func ExampleParseGemmShape() {
	for _, name := range []string{"128x784.784x256", "64x128T.128x10", "500"} {
		s, err := bench.ParseGemmShape(name)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s: m=%d n=%d k=%d transA=%v transB=%v\n", s.Name, s.M, s.N, s.K, s.TransA, s.TransB)
	}
	// Output:
	// 128x784.784x256: m=128 n=256 k=784 transA=false transB=false
	// 64x128T.128x10: m=64 n=10 k=128 transA=true transB=false
	// 500: m=500 n=500 k=500 transA=false transB=false
}

func ExampleRunGemm() {
	tab, err := bench.RunGemm(context.Background(), bench.GemmOptions{
		Shapes: []string{"128x64.64x128"}, Dtypes: []string{"f64"},
		MinTime: 5 * time.Millisecond, Rounds: 1, NoPeers: true, // drop NoPeers to compare with NumPy
	}, io.Discard) // os.Stdout prints the table
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range tab.Rows {
		fmt.Println(r.Dtype, r.Shape, r.Descent > 0, r.Target)
	}
	// Output:
	// f64 128x64.64x128 true true
}

func ExampleTable_WriteJSON() {
	tab := &bench.Table{Machine: "example", MinTime: time.Second, CheckSteps: 5, Rows: []bench.Row{
		{Problem: "p", Contender: "handgo", Handwritten: true, Steps: 10, NsPerStep: 30},
		{Problem: "p", Contender: "descent", Steps: 10, NsPerStep: 15},
	}}
	var buf bytes.Buffer
	if err := tab.WriteJSON(&buf); err != nil {
		fmt.Println(err)
		return
	}
	var doc struct {
		Rows []struct {
			Contender string             `json:"contender"`
			Ratios    map[string]float64 `json:"ratios"`
		} `json:"rows"`
	}
	_ = json.Unmarshal(buf.Bytes(), &doc)
	fmt.Println(doc.Rows[1].Contender, "takes", doc.Rows[1].Ratios[bench.BestGoName], "of the best Go step")
	// Output:
	// descent takes 0.5 of the best Go step
}

func ExampleThisMachine() {
	m := bench.ThisMachine()
	fmt.Println(m.Kernel != "", m.CPUs > 0)
	// Output:
	// true true
}

// RunTargets needs the Python peers and takes minutes; `descent bench
// --targets` runs it.
func ExampleRunTargets() {
	res, err := bench.RunTargets(context.Background(), bench.TargetOptions{Rounds: 3}, os.Stdout)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range res.Targets {
		fmt.Println(v.Name, v.Met)
	}
}

func ExampleWriteSuiteJSON() {
	rows := []bench.SuiteRow{{Problem: "rosenbrock", Optimizer: "adam", LR: 0.01, Steps: -1, Final: math.Inf(1), Status: "diverged"}}
	_ = bench.WriteSuiteJSON(os.Stdout, rows)
	// Output:
	// [
	//   {
	//     "problem": "rosenbrock",
	//     "optimizer": "adam",
	//     "lr": 0.01,
	//     "steps": -1,
	//     "final": null,
	//     "status": "diverged",
	//     "seconds": 0,
	//     "curve": []
	//   }
	// ]
}
