package train

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// TestProgressCountMatchesEpoch: every line the bar draws shows the epoch
// beside its own count (a resumed run's bar counts from its checkpoint),
// and throttled epochs are skipped whole, not half drawn.
func TestProgressCountMatchesEpoch(t *testing.T) {
	for _, c := range []struct {
		start, epochs int
		every         time.Duration
	}{
		{0, 10, 0},
		{4, 10, 0},
		{0, 10, time.Hour}, // only the first epoch is drawn before the last
	} {
		var w bytes.Buffer
		p := NewProgress(&w, c.start, c.epochs)
		p.every = c.every
		for ep := c.start + 1; ep <= c.epochs; ep++ {
			if err := p.OnEpoch(&Epoch{Epoch: ep, Loss: 1 / float64(ep), ValLoss: math.NaN(), ValAccuracy: math.NaN()}); err != nil {
				t.Fatal(err)
			}
			if ep == c.epochs {
				continue // the finished bar clears itself
			}
			out := w.String()
			last := out[strings.LastIndex(out, "\r")+1:]
			if c.every == time.Hour && ep != c.start+1 {
				if strings.Contains(last, fmt.Sprintf("epoch %d ", ep)) {
					t.Errorf("%+v: epoch %d drawn inside the throttle: %q", c, ep, last)
				}
				continue
			}
			want := fmt.Sprintf("(%d/%d", ep-c.start, c.epochs-c.start)
			if !strings.Contains(last, fmt.Sprintf("epoch %d ", ep)) || !strings.Contains(last, want) {
				t.Errorf("%+v: epoch %d drawn as %q, want its count %s)", c, ep, last, want)
			}
		}
	}
}
