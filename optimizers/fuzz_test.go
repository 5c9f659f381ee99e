package optimizers_test

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/descent-ml/descent/optimizers"
)

// fuzzSteps are the steps FuzzParseSchedule evaluates a schedule at.
var fuzzSteps = []int{0, 1, 2, 3, 10, 999, 1 << 20, 1 << 31, 1 << 53, 1 << 62, math.MaxInt}

// checkMessage fails unless err is one line starting "optimizers: " of
// bounded length (user text in it is capped).
func checkMessage(t *testing.T, err error) {
	t.Helper()
	msg := err.Error()
	if !strings.HasPrefix(msg, "optimizers: ") || strings.Contains(msg, "\n") || len(msg) > 1024 {
		t.Fatalf("bad message (%d bytes): %.300q", len(msg), msg)
	}
}

// FuzzParseSchedule: the parser never panics, errors are one capped line,
// and every schedule it accepts gives a finite rate in [0, lr] at every
// step, the largest ints included.
func FuzzParseSchedule(f *testing.F) {
	f.Add("warmup:50+cosine:1000:1e-4", 0.1)
	f.Fuzz(func(t *testing.T, spec string, lr float64) {
		s, err := optimizers.ParseSchedule(spec, lr)
		if err != nil {
			checkMessage(t, err)
			return
		}
		for _, step := range fuzzSteps {
			v := s(step)
			if !(v >= 0 && v <= lr) {
				t.Fatalf("%q at lr %v, step %d: rate %v, want a finite value in [0, lr]", spec, lr, step, v)
			}
			if w := s(step); math.Float64bits(w) != math.Float64bits(v) {
				t.Fatalf("%q at step %d: %v then %v, not pure", spec, step, v, w)
			}
		}
	})
}

// fuzzParams are the parameters FuzzUnmarshalState initializes with.
func fuzzParams() optimizers.Params {
	return optimizers.Params{"W": {1, -2, 3}, "b": {0.5}}
}

// FuzzUnmarshalState: any bytes, for any optimizer, with or without Init,
// never panic and never allocate from an unchecked size (the 1e9-value
// seeds would take 8 GB). A refused state leaves the optimizer as it was
// and is one capped line; an accepted one round-trips through
// MarshalState, and after Init a Step works.
func FuzzUnmarshalState(f *testing.F) {
	f.Add([]byte(`{}`), uint8(0), true)
	f.Fuzz(func(t *testing.T, b []byte, which uint8, init bool) {
		names := optimizers.Names()
		o, err := optimizers.New(optimizers.Config{Name: names[int(which)%len(names)]})
		if err != nil {
			t.Fatal(err)
		}
		var before []byte
		if init {
			if err := o.Init(fuzzParams()); err != nil {
				t.Fatal(err)
			}
			before, _ = o.MarshalState()
		}
		if err := o.UnmarshalState(b); err != nil {
			checkMessage(t, err)
			if init {
				if after, _ := o.MarshalState(); !bytes.Equal(before, after) {
					t.Fatal("a refused state changed the optimizer")
				}
			}
			return
		}
		if o.StepCount() < 0 {
			t.Fatalf("step count %d", o.StepCount())
		}
		again, err := o.MarshalState()
		if err != nil {
			return // values that overflow once decoded (1e400 is a JSON error; this is not reached)
		}
		o2, _ := optimizers.New(o.Config())
		if init {
			if err := o2.Init(fuzzParams()); err != nil {
				t.Fatal(err)
			}
		}
		if err := o2.UnmarshalState(again); err != nil {
			t.Fatalf("a state read back from MarshalState is refused: %v", err)
		}
		if third, _ := o2.MarshalState(); !bytes.Equal(third, again) {
			t.Fatalf("state does not round-trip:\n%s\n%s", again, third)
		}
		if init {
			p := fuzzParams()
			if err := o.Step(p, optimizers.Params{"W": {0.1, 0.2, 0.3}, "b": {0.4}}); err != nil {
				t.Fatalf("Step after an accepted state: %v", err)
			}
		}
	})
}

// TestWriteFuzzSeeds rewrites the seed corpora of FuzzParseSchedule and
// FuzzUnmarshalState under -update: one input for every error each
// reports, and valid inputs for every optimizer.
func TestWriteFuzzSeeds(t *testing.T) {
	if !*update {
		t.Skip("rewrites testdata/fuzz under -update")
	}
	specs := map[string]string{
		"constant": "constant", "empty": "", "step": "step:100:0.5", "exp": "exp:0.99", "cosine": "cosine:1000:1e-4",
		"warmup": "warmup:50+cosine:1000", "warmup-start": "warmup:5:0.5+exp:0.9", "warmup-alone": "warmup:3",
		"unknown": "linear", "step-fields": "step:10", "step-int": "step:x:0.5", "step-zero": "step:0:0.5",
		"gamma-range": "step:10:1.5", "gamma-number": "exp:abc", "cosine-min": "cosine:10:1", "cosine-fields": "cosine:10:1:2",
		"warmup-zero": "warmup:0+constant", "warmup-start-range": "warmup:5:2", "warmup-twice": "warmup:5+warmup:5",
		"not-warmup-before-plus": "cosine:10+exp:0.9", "warmup-fields": "warmup:1:2:3+exp:0.9", "warmup-trailing-plus": "warmup:10+",
		"constant-fields": "constant:5", "underscore": "step:1_000:0.5", "hex": "exp:0x1p-1", "nan": "exp:nan",
		"inf": "cosine:10:Inf", "huge-int": "step:99999999999999999999:0.5", "over-2^53": "cosine:9007199254740993",
		"negative": "step:-5:0.5", "space": "exp: 0.9", "empty-part": "step::0.5",
	}
	lrs := map[string]float64{"": 0.1, "-huge-lr": math.MaxFloat64, "-tiny-lr": math.SmallestNonzeroFloat64}
	dir := filepath.Join("testdata", "fuzz", "FuzzParseSchedule")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, spec := range specs {
		for suffix, lr := range lrs {
			switch name {
			case "constant", "step", "exp", "cosine", "warmup", "warmup-start", "warmup-alone":
			default:
				if suffix != "" {
					continue
				}
			}
			writeSeed(t, filepath.Join(dir, name+suffix), fmt.Sprintf("string(%s)\nfloat64(%v)\n", strconv.Quote(spec), lr))
		}
	}
	writeSeed(t, filepath.Join(dir, "lr-zero"), "string(\"exp:0.9\")\nfloat64(0)\n")
	writeSeed(t, filepath.Join(dir, "lr-nan"), "string(\"constant\")\nfloat64(NaN)\n")

	dir = filepath.Join("testdata", "fuzz", "FuzzUnmarshalState")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	names := optimizers.Names()
	seed := func(file string, b []byte, name string, init bool) {
		which := -1
		for i, n := range names {
			if n == name {
				which = i
			}
		}
		writeSeed(t, filepath.Join(dir, file), fmt.Sprintf("[]byte(%s)\nuint8(%d)\nbool(%v)\n", strconv.Quote(string(b)), which, init))
	}
	var adam []byte
	for _, cfg := range resumeConfigs() {
		o, err := optimizers.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		p := fuzzParams()
		if err := o.Init(p); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if err := o.Step(p, optimizers.Params{"W": {0.1, -0.2, 0.3}, "b": {0.4}}); err != nil {
				t.Fatal(err)
			}
		}
		// Seeds use each optimizer's default options (the fuzz target's).
		d, _ := optimizers.New(optimizers.Config{Name: cfg.Name})
		d.Init(p)
		d.Step(p, optimizers.Params{"W": {0.1, -0.2, 0.3}, "b": {0.4}})
		b, err := d.MarshalState()
		if err != nil {
			t.Fatal(err)
		}
		seed("valid-"+cfg.Name, b, cfg.Name, true)
		seed("valid-"+cfg.Name+"-no-init", b, cfg.Name, false)
		if cfg.Name == "adam" {
			adam = b
		}
	}
	edit := func(from, to string) []byte {
		if !bytes.Contains(adam, []byte(from)) {
			t.Fatalf("%q not in %s", from, adam)
		}
		return bytes.Replace(adam, []byte(from), []byte(to), 1)
	}
	seed("garbage", []byte("{"), "adam", true)
	seed("other-optimizer", adam, "adamw", true)
	seed("negative-count", edit(`"count":1`, `"count":-1`), "adam", true)
	seed("inconsistent-step", edit(`"step":1`, `"step":2`), "adam", true)
	seed("short-slot", edit(`"b":[0.039999999999999994]`, `"b":[]`), "adam", true)
	seed("negative-size", edit(`"b":1`, `"b":-1`), "adam", true)
	seed("huge-size", edit(`"W":3`, `"W":1000000000`), "adam", true)
	seed("huge-size-no-init", edit(`"W":3`, `"W":1000000000`), "adam", false)
	seed("huge-size-no-slots", []byte(`{"optimizer":"gd","step":0,"params":{"W":1000000000},"state":{"stages":[{}]}}`), "gd", false)
	seed("unknown-parameter", edit(`"params":{`, `"params":{"extra":1,`), "adam", true)
	seed("missing-slot", edit(`"exp_avg":`, `"other":`), "adam", true)
	seed("bloated", append(bytes.TrimSuffix(adam, []byte("}")), []byte(strings.Repeat(" ", 100000)+"}")...), "adam", true)
	seed("huge-count", edit(`"count":1`, `"count":4611686018427387904`), "adam", false)
	seed("wrong-type", edit(`"count":1`, `"count":"1"`), "adam", true)
}

func writeSeed(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte("go test fuzz v1\n"+body), 0o644); err != nil {
		t.Fatal(err)
	}
}
