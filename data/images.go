package data

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// LoadIDX reads an image dataset from two IDX files (see ReadIDX): images,
// N × H × W unsigned bytes (or N × C × H × W), and labels, N unsigned
// bytes. Row i of X holds image i's pixels scaled to [0, 1] (p/255), in
// row-major C×H×W order; Shape is [1 H W] (or [C H W]); Y holds the labels.
// Features are named p0, p1, …, as in the built-in digits; Target is
// "label"; Name is the images file's base name without ".gz".
func LoadIDX(images, labels string) (*Dataset, error) {
	img, err := ReadIDX(images)
	if err != nil {
		return nil, err
	}
	var shape []int
	switch len(img.Dims) {
	case 3:
		shape = []int{1, img.Dims[1], img.Dims[2]}
	case 4:
		shape = slices.Clone(img.Dims[1:])
	default:
		return nil, fmt.Errorf("data: %s: images need 3 IDX dimensions (count, rows, cols) or 4 (count, channels, rows, cols), got %v", images, img.Dims)
	}
	lab, err := ReadIDX(labels)
	if err != nil {
		return nil, err
	}
	if len(lab.Dims) != 1 {
		return nil, fmt.Errorf("data: %s: labels need 1 IDX dimension (count), got %v", labels, lab.Dims)
	}
	n := img.Dims[0]
	if lab.Dims[0] != n {
		return nil, fmt.Errorf("data: %s holds %d labels but %s holds %d images", labels, lab.Dims[0], images, n)
	}
	d := 1
	for _, s := range shape {
		d *= s
	}
	ds := &Dataset{
		Name:     strings.TrimSuffix(filepath.Base(images), ".gz"),
		Features: pixelNames(d),
		Target:   "label",
		X:        make([]float64, n*d),
		Y:        make([]float64, n),
		N:        n,
		D:        d,
		Shape:    shape,
		src:      images,
	}
	var scale [256]float64 // p/255, looked up rather than divided 47 million times
	for p := range scale {
		scale[p] = float64(p) / 255
	}
	for i, p := range img.Data {
		ds.X[i] = scale[p]
	}
	for i, l := range lab.Data {
		ds.Y[i] = float64(l)
	}
	return ds, nil
}

// pixelNames returns p0 … p(d−1).
func pixelNames(d int) []string {
	names := make([]string, d)
	for i := range names {
		names[i] = "p" + strconv.Itoa(i)
	}
	return names
}
