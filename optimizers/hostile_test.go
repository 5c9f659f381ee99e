package optimizers_test

import (
	"bytes"
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"github.com/descent-ml/descent/optimizers"
)

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// savedAdam is an adam state for W (2 values) and b (1 value) after one step.
func savedAdam(t *testing.T) []byte {
	t.Helper()
	o, err := optimizers.New(optimizers.Config{Name: "adam"})
	if err != nil {
		t.Fatal(err)
	}
	p := optimizers.Params{"W": {1, 2}, "b": {3}}
	if err := o.Init(p); err != nil {
		t.Fatal(err)
	}
	if err := o.Step(p, optimizers.Params{"W": {1, 1}, "b": {1}}); err != nil {
		t.Fatal(err)
	}
	b, err := o.MarshalState()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestUnmarshalStateChecksBeforeAllocating: a state that claims 1e9 values
// (8 GB) is refused before anything of that size is allocated, with an
// error naming the parameter (and slot) and both sizes (issue 8, item 2).
func TestUnmarshalStateChecksBeforeAllocating(t *testing.T) {
	good := savedAdam(t)
	huge := bytes.Replace(good, []byte(`"W":2`), []byte(`"W":1000000000`), 1)
	if bytes.Equal(huge, good) {
		t.Fatalf(`"W":2 not in %s`, good)
	}
	gdHuge := []byte(`{"optimizer":"gd","step":0,"params":{"W":1000000000},"state":{"stages":[{}]}}`)
	for _, c := range []struct {
		name    string
		cfg     optimizers.Config
		init    bool
		b       []byte
		want    string
		stepErr string // for a state that is accepted, the error of a Step with W of 2 values
	}{
		{"after Init", optimizers.Config{Name: "adam"}, true, huge,
			`optimizers: the saved state's parameters: parameter "W" has 1000000000 values, want 2`, ""},
		{"without Init", optimizers.Config{Name: "adam"}, false, huge,
			`optimizers: saved state stage 0 slot exp_avg: parameter "W" has 2 values, want 1000000000`, ""},
		{"without Init, no slots to check against", optimizers.Config{Name: "gd"}, false, gdHuge, "",
			`optimizers: Step: the parameters do not match Init's: parameter "W" has 2 values, want 1000000000`},
		{"no slots, after Init", optimizers.Config{Name: "gd"}, true, gdHuge,
			`optimizers: the saved state's parameters: parameter "W" has 1000000000 values, want 2`, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			o, err := optimizers.New(c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if c.init {
				p := optimizers.Params{"W": {1, 2}, "b": {3}}
				if c.cfg.Name == "gd" {
					p = optimizers.Params{"W": {1, 2}}
				}
				if err := o.Init(p); err != nil {
					t.Fatal(err)
				}
			}
			n := allocated(func() { err = o.UnmarshalState(c.b) })
			if n > 1<<20 {
				t.Errorf("UnmarshalState allocated %d bytes", n)
			}
			if c.want != "" {
				if err == nil || err.Error() != c.want {
					t.Fatalf("err = %v\nwant %s", err, c.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			n = allocated(func() {
				err = o.Step(optimizers.Params{"W": {1, 2}}, optimizers.Params{"W": {1, 1}})
			})
			if err == nil || err.Error() != c.stepErr {
				t.Errorf("Step: %v\nwant %s", err, c.stepErr)
			}
			if n > 1<<20 {
				t.Errorf("the Step error allocated %d bytes", n)
			}
		})
	}
}

// TestUnmarshalStateBoundsJSON: after Init, a state far larger than any
// state for those parameters can be is refused before it is parsed.
func TestUnmarshalStateBoundsJSON(t *testing.T) {
	good := savedAdam(t)
	o, _ := optimizers.New(optimizers.Config{Name: "adam"})
	if err := o.Init(optimizers.Params{"W": {1, 2}, "b": {3}}); err != nil {
		t.Fatal(err)
	}
	// Indented, as inside a model file, it is still accepted.
	var ind bytes.Buffer
	if err := jsonIndent(&ind, good); err != nil {
		t.Fatal(err)
	}
	if err := o.UnmarshalState(ind.Bytes()); err != nil {
		t.Fatalf("indented state: %v", err)
	}
	bloated := append(append([]byte{}, good[:len(good)-1]...), []byte(strings.Repeat(" ", 4<<20)+"}")...)
	err := o.UnmarshalState(bloated)
	if err == nil || !strings.HasPrefix(err.Error(), "optimizers: the saved state has 4194") ||
		!strings.Contains(err.Error(), "bytes, more than the ") || !strings.HasSuffix(err.Error(), " bytes a state for these parameters can take") {
		t.Errorf("err = %v", err)
	}
	if optimizers.MaxStateBytes != 1<<30 {
		t.Errorf("MaxStateBytes = %d", optimizers.MaxStateBytes)
	}
}

// jsonIndent indents b as a model file (three levels deep) would.
func jsonIndent(dst *bytes.Buffer, b []byte) error {
	return json.Indent(dst, b, "      ", "  ")
}
