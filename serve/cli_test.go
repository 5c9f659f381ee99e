package serve

import (
	"net/url"
	"strings"
	"testing"
)

// TestSurfaceCLI: the command a surface path prints carries every setting
// that changes its numbers, the bowl's condition number included.
func TestSurfaceCLI(t *testing.T) {
	for _, c := range []struct {
		query     string
		want, not string
	}{
		{"obj=bowl&cond=30&steps=60&p=gd,lr=0.07", "descent surface --objective bowl --cond 30 --optimizer gd --lr 0.07", ""},
		{"obj=bowl&steps=60", "--objective bowl --cond 10 ", ""},
		{"obj=rosenbrock&steps=150&p=adam,lr=0.05", "descent surface --objective rosenbrock --optimizer adam --lr 0.05", "--cond"},
	} {
		q, _ := url.ParseQuery("view=surface&" + c.query)
		st, err := ParseState(q)
		if err != nil {
			t.Fatal(err)
		}
		line := st.Surface.cli(st.Surface.Paths[0])
		if !strings.Contains(line, c.want) || c.not != "" && strings.Contains(line, c.not) {
			t.Errorf("%s: %q, want it to contain %q and not %q", c.query, line, c.want, c.not)
		}
	}
}
