package train

import (
	"fmt"
	"io"
	"math"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Progress is a Hook that draws a progress bar over the run's epochs on w,
// showing the latest epoch's loss and, with validation data, the
// validation loss and accuracy. Use it only when w is a terminal.
type Progress struct {
	bar           *progressbar.ProgressBar
	start, epochs int
	// every is the least time between two redraws (the last epoch is
	// always drawn); shown is when the bar was last drawn.
	every time.Duration
	shown time.Time
}

var _ Hook = (*Progress)(nil)

// NewProgress draws a bar for the epochs after start up to epochs (a
// resumed run starts after its checkpoint's epochs).
func NewProgress(w io.Writer, start, epochs int) *Progress {
	// The bar's own throttle is off: it would draw the description and
	// drop the count that follows it (epoch N beside N−1 of the count).
	// OnEpoch throttles both together instead.
	return &Progress{start: start, epochs: epochs, every: 100 * time.Millisecond, bar: progressbar.NewOptions(max(epochs-start, 1),
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("training"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
	)}
}

// OnStep implements Hook.
func (p *Progress) OnStep(*Step) error { return nil }

// OnEpoch implements Hook.
func (p *Progress) OnEpoch(e *Epoch) error {
	now := time.Now()
	if e.Epoch < p.epochs && now.Sub(p.shown) < p.every {
		return nil
	}
	p.shown = now
	p.bar.Describe(Describe(e)) // drawn with the old count, redrawn by Set
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
