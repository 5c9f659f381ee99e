package train

import "math"

// MaxHistory is the most epochs a History keeps (and a run's memory stays
// flat however long it runs).
const MaxHistory = 4096

// History records the loss of each epoch, thinned as it grows: once it
// holds max points it keeps every other one and from then on records
// every 2nd epoch, then every 4th, and so on, so a run of 10¹² epochs
// keeps at most max points spread over the whole run. The last epoch is
// always kept.
type History struct {
	Epochs  []int     `json:"epochs"`
	Loss    []float64 `json:"loss"`
	ValLoss []float64 `json:"val_loss,omitempty"`
	max     int
	stride  int
	last    *point
}

type point struct {
	epoch     int
	loss, val float64
}

// NewHistory keeps at most max points (at least 2).
func NewHistory(max int) *History { return &History{max: maxInt(max, 2), stride: 1} }

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// Add records epoch's training and validation loss (NaN without validation).
func (h *History) Add(epoch int, loss, val float64) {
	if h.stride == 0 {
		h.stride, h.max = 1, MaxHistory
	}
	h.last = &point{epoch, loss, val}
	if epoch%h.stride != 0 && len(h.Epochs) > 0 {
		return
	}
	h.push(epoch, loss, val)
	if len(h.Epochs) >= h.max {
		h.thin()
	}
}

func (h *History) push(epoch int, loss, val float64) {
	h.Epochs = append(h.Epochs, epoch)
	h.Loss = append(h.Loss, loss)
	if !math.IsNaN(val) || h.ValLoss != nil {
		for len(h.ValLoss) < len(h.Epochs)-1 {
			h.ValLoss = append(h.ValLoss, math.NaN())
		}
		h.ValLoss = append(h.ValLoss, val)
	}
}

// thin keeps every other point and doubles the stride.
func (h *History) thin() {
	h.stride *= 2
	k := 0
	for i, e := range h.Epochs {
		if e%h.stride != 0 && i != 0 {
			continue
		}
		h.Epochs[k], h.Loss[k] = e, h.Loss[i]
		if h.ValLoss != nil {
			h.ValLoss[k] = h.ValLoss[i]
		}
		k++
	}
	h.Epochs, h.Loss = h.Epochs[:k], h.Loss[:k]
	if h.ValLoss != nil {
		h.ValLoss = h.ValLoss[:k]
	}
}

// Points returns the kept epochs and losses, the last epoch included.
func (h *History) Points() (epochs []int, loss, val []float64) {
	epochs, loss = append([]int(nil), h.Epochs...), append([]float64(nil), h.Loss...)
	if h.ValLoss != nil {
		val = append([]float64(nil), h.ValLoss...)
	}
	if h.last != nil && (len(epochs) == 0 || epochs[len(epochs)-1] != h.last.epoch) {
		epochs = append(epochs, h.last.epoch)
		loss = append(loss, h.last.loss)
		if val != nil {
			val = append(val, h.last.val)
		}
	}
	return epochs, loss, val
}

// Len is the number of points Points returns.
func (h *History) Len() int {
	e, _, _ := h.Points()
	return len(e)
}

// Curves returns the kept epochs as float64 x values, for plotting, with
// the training and validation losses (val is nil without validation).
func (h *History) Curves() (x, loss, val []float64) {
	ep, loss, val := h.Points()
	x = make([]float64, len(ep))
	for i, e := range ep {
		x[i] = float64(e)
	}
	return x, loss, val
}
