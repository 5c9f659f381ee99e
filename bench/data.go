package bench

import (
	"fmt"
	"math"
)

// Data is a problem's data set, made by NewData from closed formulas so
// that the Go contenders and the Python peers build the same numbers
// without exchanging files. Contenders must not modify it.
type Data struct {
	// X is N×D, row-major.
	X []float64
	// Y is the regression target (linreg) or the 0/1 label (logreg).
	Y []float64
	// Class is the class index in [0,K) (softmax, mlp).
	Class []int
}

// NewData builds the data of p. With i the row, j the column and c a
// class (all 0-based), and the products rounded before they are added so
// that no fused multiply-add changes the bits:
//
//	X[i,j] = sin(0.37·i + 1.3·j + 0.011·i·j)
//	u[j]   = cos(0.5·j)
//	V[j,c] = cos(0.5·j + 1.1·c + 0.07·j·c)
//	linreg:       y_i = Σ_j X[i,j]·u[j] + 1 + 0.1·cos(i)
//	logreg:       y_i = 1 if Σ_j X[i,j]·u[j] + 0.3·cos(1.7·i) > 0, else 0
//	softmax, mlp, cnn: class_i = argmax_c Σ_j X[i,j]·V[j,c] + 0.3·cos(1.7·i + c)
//
// A cnn's row is an image of shape Problem.Input, its D values in
// row-major (channel, row, column) order. bench/peers/common.py implements
// the same formulas. An epoch problem trains on a real data set, which
// NewData does not make.
func NewData(p Problem) (*Data, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if p.Kind == "epoch" {
		return nil, fmt.Errorf("bench: %s: an epoch problem trains on a data set of its own", p.Name)
	}
	n, d := p.N, p.D
	data := &Data{X: make([]float64, n*d)}
	for i := range n {
		for j := range d {
			fi, fj := float64(i), float64(j)
			data.X[i*d+j] = math.Sin(float64(0.37*fi) + float64(1.3*fj) + float64(float64(0.011*fi)*fj))
		}
	}
	u := make([]float64, d)
	for j := range u {
		u[j] = math.Cos(float64(0.5 * float64(j)))
	}
	switch p.Kind {
	case "linreg", "logreg":
		data.Y = make([]float64, n)
		for i := range n {
			var s float64
			for j, v := range data.X[i*d : i*d+d] {
				s += float64(v * u[j])
			}
			if p.Kind == "linreg" {
				data.Y[i] = s + 1 + float64(0.1*math.Cos(float64(i)))
			} else if s+float64(0.3*math.Cos(float64(1.7*float64(i)))) > 0 {
				data.Y[i] = 1
			}
		}
	case "softmax", "mlp", "cnn":
		k := p.K
		V := make([]float64, d*k)
		for j := range d {
			for c := range k {
				fj, fc := float64(j), float64(c)
				V[j*k+c] = math.Cos(float64(0.5*fj) + float64(1.1*fc) + float64(float64(0.07*fj)*fc))
			}
		}
		data.Class = make([]int, n)
		for i := range n {
			best, arg := math.Inf(-1), 0
			for c := range k {
				var s float64
				for j, v := range data.X[i*d : i*d+d] {
					s += float64(v * V[j*k+c])
				}
				s += float64(0.3 * math.Cos(float64(1.7*float64(i))+float64(c)))
				if s > best {
					best, arg = s, c
				}
			}
			data.Class[i] = arg
		}
	}
	return data, nil
}

// ParamNames lists p's parameters in order: "W" (D×outputs, row-major)
// and "b" for the linear kinds; "W1", "b1", …, "WL", "bL" for an mlp with
// L = len(Hidden)+1 layers, Wl being in×out row-major; a cnn's or epoch's
// as PyTorch's nn.Sequential names them ("0.weight", "0.bias", …), nil if
// its network does not build.
func ParamNames(p Problem) []string {
	if !p.Dense() {
		params, err := netParams(p)
		if err != nil {
			return nil
		}
		names := make([]string, len(params))
		for i, prm := range params {
			names[i] = prm.Name
		}
		return names
	}
	if p.Kind != "mlp" {
		return []string{"W", "b"}
	}
	var names []string
	for l := range p.Layers() {
		names = append(names, fmt.Sprintf("W%d", l+1), fmt.Sprintf("b%d", l+1))
	}
	return names
}

// InitParams returns a fresh copy of p's starting parameters, keyed as in
// ParamNames. The linear kinds start at zero. An mlp's layer l (1-based)
// with in inputs starts at
//
//	Wl[a,b] = sin(0.9·a + 0.61·b + 0.013·a·b + l) / √in,   bl = 0.
//
// A network's (cnn, epoch) are given by netInit; nil if it does not build.
func InitParams(p Problem) map[string][]float64 {
	if !p.Dense() {
		params, err := netParams(p)
		if err != nil {
			return nil
		}
		return netInit(params)
	}
	params := map[string][]float64{}
	layers := p.Layers()
	if p.Kind != "mlp" {
		params["W"] = make([]float64, p.D*p.Outputs())
		params["b"] = make([]float64, p.Outputs())
		return params
	}
	for l, io := range layers {
		in, out := io[0], io[1]
		W := make([]float64, in*out)
		scale := 1 / math.Sqrt(float64(in))
		for a := range in {
			for b := range out {
				fa, fb := float64(a), float64(b)
				W[a*out+b] = math.Sin(float64(0.9*fa)+float64(0.61*fb)+float64(float64(0.013*fa)*fb)+float64(l+1)) * scale
			}
		}
		params[fmt.Sprintf("W%d", l+1)] = W
		params[fmt.Sprintf("b%d", l+1)] = make([]float64, out)
	}
	return params
}
