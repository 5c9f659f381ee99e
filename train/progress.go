package train

import (
	"fmt"
	"io"
	"math"

	"github.com/schollz/progressbar/v3"
)

// Progress is a Hook that draws a progress bar over the run's epochs on w,
// showing the latest epoch's loss and, with validation data, the
// validation loss and accuracy. Use it only when w is a terminal.
type Progress struct {
	bar   *progressbar.ProgressBar
	start int
}

var _ Hook = (*Progress)(nil)

// NewProgress draws a bar for the epochs after start up to epochs (a
// resumed run starts after its checkpoint's epochs).
func NewProgress(w io.Writer, start, epochs int) *Progress {
	return &Progress{start: start, bar: progressbar.NewOptions(max(epochs-start, 1),
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("training"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
	)}
}

// OnStep implements Hook.
func (p *Progress) OnStep(*Step) error { return nil }

// OnEpoch implements Hook.
func (p *Progress) OnEpoch(e *Epoch) error {
	p.bar.Describe(Describe(e))
	return p.bar.Set(e.Epoch - p.start)
}

// Describe renders an epoch for a progress line: "epoch 12  loss 0.0312
// val 0.0401  val acc 97.2%".
func Describe(e *Epoch) string {
	s := fmt.Sprintf("epoch %d  loss %.6g", e.Epoch, e.Loss)
	if !math.IsNaN(e.ValLoss) {
		s += fmt.Sprintf("  val %.6g", e.ValLoss)
	}
	if !math.IsNaN(e.ValAccuracy) {
		s += fmt.Sprintf("  val acc %.1f%%", 100*e.ValAccuracy)
	}
	return s
}

// Finish clears the bar.
func (p *Progress) Finish() error { return p.bar.Finish() }
