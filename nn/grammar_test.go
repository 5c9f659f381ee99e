package nn

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFormatRoundTrip(t *testing.T) {
	for _, c := range []struct{ in, canonical string }{
		{"conv2d(16,3,padding=1) relu maxpool2d(2) flatten linear(10)", ""},
		{"linear(16) layernorm gelu linear(3)", ""},
		{"linear( 16 ,bias=false )   relu\tlinear(3)", "linear(16,bias=false) relu linear(3)"},
		{"LINEAR(4) ReLU", "linear(4) relu"},
		{"linear(out_features=4)", "linear(4)"},
		{"leakyrelu(0.2) elu(alpha=0.5)", "leakyrelu(0.2) elu(0.5)"},
		{"dropout(0.25) dropout(0)", ""},
		{"residual(linear(8) relu linear(8)) relu", ""},
		{"embedding(20,4) flatten linear(3)", ""},
		{"batchnorm1d(eps=0.001,momentum=0.2) batchnorm2d(affine=false)", ""},
	} {
		if !registered(t, c.in) {
			continue
		}
		seq, err := Parse(c.in)
		require.NoError(t, err, c.in)
		got, err := Format(seq)
		require.NoError(t, err)
		want := c.canonical
		if want == "" {
			want = c.in
		}
		assert.Equal(t, want, got)
		again, err := Parse(got)
		require.NoError(t, err)
		g2, _ := Format(again)
		assert.Equal(t, got, g2, "Format(Parse(s)) is a fixed point")
	}
}

// registered skips specs that use a layer not in this build's table.
func registered(t *testing.T, spec string) bool {
	if _, err := Parse(spec); err != nil && strings.Contains(err.Error(), "unknown layer") {
		t.Logf("skipping %q: %v", spec, err)
		return false
	}
	return true
}

func TestParseErrorsNameTheColumn(t *testing.T) {
	for _, c := range []struct{ spec, want string }{
		{"", "no layers"},
		{"linear", `column 1: linear needs its argument out_features, as in linear(out_features)`},
		{"linear(x)", `column 8: out_features of linear must be an integer, got "x"`},
		{"linear(0)", "out_features must be in [1, 16777216], got 0"},
		{"linear(10,3)", "column 11: linear takes 1 positional argument(s) (out_features)"},
		{"linear(10,bias=maybe)", `bias of linear must be true or false, got "maybe"`},
		{"linear(10,foo=1)", `column 11: linear has no argument "foo" (it takes out_features, bias)`},
		{"linear(10,out_features=3)", "argument out_features of linear is given twice"},
		{"linear(10", "missing ')'"},
		{"relu)", `unexpected ')' after a layer`},
		{"tree(3)", `column 1: unknown layer "tree"`},
		{"linear(99999999999)", "out of range"},
		{"relu(1)", "relu takes 0 positional argument(s)"},
		{"leakyrelu(nan)", "must be a finite number"},
		{"leakyrelu(0x1p3)", "must be a finite number"},
		{strings.Repeat("relu ", 2000), "more than 4096"},
		{strings.Repeat("residual(", 20) + "relu" + strings.Repeat(")", 20), "nest more than 8 deep"},
	} {
		_, err := Parse(c.spec)
		require.Error(t, err, c.spec)
		assert.Contains(t, err.Error(), c.want, c.spec)
		assert.LessOrEqual(t, len(err.Error()), 400, "a one-line error, user text cut")
	}
}

func TestRegisterRefusesHalfRows(t *testing.T) {
	type noTags struct{ ReLU }
	type badType struct {
		ReLU
		X string `arg:"x"`
	}
	type badOpt struct {
		ReLU
		X int `arg:"x,sometimes"`
	}
	for _, c := range []struct {
		l    Layer
		want string
	}{
		{Layer{Name: "Bad Name", New: func() Module { return &ReLU{} }}, "lower case"},
		{Layer{Name: "nonew"}, "no New function"},
		{Layer{Name: "relu", New: func() Module { return &noTags{} }}, "registered twice"},
		{Layer{Name: "strarg", New: func() Module { return &badType{} }}, "has type string"},
		{Layer{Name: "badopt", New: func() Module { return &badOpt{} }}, "unknown tag option"},
		{Layer{Name: "valuetype", New: func() Module { return ReLU{} }}, "pointer to a struct"},
	} {
		err := Register(c.l)
		require.Error(t, err, c.l.Name)
		assert.Contains(t, err.Error(), c.want)
	}
}

// FuzzParse: the grammar never panics, never takes long, and what it
// accepts formats to a spec it accepts again, identically.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"conv2d(16,3,padding=1) relu maxpool2d(2) flatten linear(10)", "linear(16) layernorm gelu linear(3)",
		"residual(linear(8) relu) linear(2)", "linear(4,bias=false)", "leakyrelu(0.2)", "conv2d(8,(3,5),stride=(1,2))",
		"linear(", "linear(1,,2)", "((((", "embedding(5,2)", "dropout(1.5)", "linear(1e3)", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		seq, err := Parse(s)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("a multi-line error: %q", err)
			}
			return
		}
		out, err := Format(seq)
		if err != nil {
			t.Fatalf("Format(Parse(%q)): %v", s, err)
		}
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(Format(Parse(%q))) = Parse(%q): %v", s, out, err)
		}
		if out2, _ := Format(again); out2 != out {
			t.Fatalf("%q formats to %q, then to %q", s, out, out2)
		}
	})
}
