package conv

import "fmt"

// GlobalAvgPool computes y[p] = (1/hw)·Σ_s x[p, s] over planes of hw
// values: (N, C, H, W) → (N, C) with planes = N·C and hw = H·W.
func GlobalAvgPool[T Float](y, x []T, planes, hw int) error {
	if err := checkGlobal(len(x), len(y), planes, hw); err != nil {
		return err
	}
	for p := range y {
		y[p] = sumOf(x[p*hw:(p+1)*hw]) / T(hw)
	}
	return nil
}

// GlobalAvgPoolBackward computes dx[p, s] = dy[p]/hw. dx is written, never
// read.
func GlobalAvgPoolBackward[T Float](dx, dy []T, planes, hw int) error {
	if err := checkGlobal(len(dx), len(dy), planes, hw); err != nil {
		return err
	}
	for p, g := range dy {
		g /= T(hw)
		d := dx[p*hw : (p+1)*hw]
		for i := range d {
			d[i] = g
		}
	}
	return nil
}

func checkGlobal(x, y, planes, hw int) error {
	if planes < 1 || hw < 1 || mul(planes, hw) < 0 {
		return fmt.Errorf("global average pooling: %d planes of %d values is not a valid geometry", planes, hw)
	}
	if x != planes*hw || y != planes {
		return fmt.Errorf("global average pooling: input and output have %d and %d values, want %d and %d", x, y, planes*hw, planes)
	}
	return nil
}
