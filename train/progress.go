package train

import (
	"fmt"
	"io"

	"github.com/schollz/progressbar/v3"
)

// Progress is a Hook that draws a progress bar over the run's epochs on w,
// showing the latest epoch loss. Use it only when w is a terminal.
type Progress struct {
	bar *progressbar.ProgressBar
}

var _ Hook = (*Progress)(nil)

// NewProgress draws a bar for epochs epochs on w.
func NewProgress(w io.Writer, epochs int) *Progress {
	return &Progress{bar: progressbar.NewOptions(epochs,
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
	p.bar.Describe(fmt.Sprintf("epoch %d  loss %.6g", e.Epoch, e.Loss))
	return p.bar.Add(1)
}

// Finish clears the bar.
func (p *Progress) Finish() error { return p.bar.Finish() }
