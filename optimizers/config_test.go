package optimizers_test

import (
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/descent-ml/descent/optimizers"
)

func set(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

// TestConfigErrors checks every validation rule and its exact message.
func TestConfigErrors(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name string
		cfg  optimizers.Config
		want string
	}{
		{"lr negative", optimizers.Config{LR: -1}, "optimizers: lr must be > 0, got -1"},
		{"lr explicit zero", optimizers.Config{Name: "adam", Set: set("lr")}, "optimizers: lr must be > 0, got 0"},
		{"lr NaN", optimizers.Config{LR: nan}, "optimizers: lr must be > 0, got NaN"},
		{"lr Inf", optimizers.Config{LR: math.Inf(1)}, "optimizers: lr must be > 0, got +Inf"},
		{"beta1 above", optimizers.Config{Name: "adam", Beta1: 1.2}, "optimizers: beta1 must be in [0,1), got 1.2"},
		{"beta1 one", optimizers.Config{Name: "adamw", Beta1: 1}, "optimizers: beta1 must be in [0,1), got 1"},
		{"beta1 negative", optimizers.Config{Name: "adam", Beta1: -0.1}, "optimizers: beta1 must be in [0,1), got -0.1"},
		{"beta2 one", optimizers.Config{Name: "adam", Beta2: 1}, "optimizers: beta2 must be in [0,1), got 1"},
		{"beta2 negative", optimizers.Config{Name: "adamw", Beta2: -1}, "optimizers: beta2 must be in [0,1), got -1"},
		{"eps explicit zero adam", optimizers.Config{Name: "adam", Set: set("eps")}, "optimizers: eps must be > 0, got 0"},
		{"eps explicit zero adagrad", optimizers.Config{Name: "adagrad", Set: set("eps")}, "optimizers: eps must be > 0, got 0"},
		{"eps negative", optimizers.Config{Name: "rmsprop", Eps: -1e-8}, "optimizers: eps must be > 0, got -1e-08"},
		{"momentum negative", optimizers.Config{Name: "momentum", Momentum: -0.1}, "optimizers: momentum must be >= 0, got -0.1"},
		{"rmsprop momentum negative", optimizers.Config{Name: "rmsprop", Momentum: -1}, "optimizers: momentum must be >= 0, got -1"},
		{"dampening above", optimizers.Config{Name: "momentum", Dampening: 1.5}, "optimizers: dampening must be in [0,1], got 1.5"},
		{"dampening negative", optimizers.Config{Name: "momentum", Dampening: -0.5}, "optimizers: dampening must be in [0,1], got -0.5"},
		{"alpha one", optimizers.Config{Name: "rmsprop", Alpha: 1}, "optimizers: alpha must be in [0,1), got 1"},
		{"alpha negative", optimizers.Config{Name: "rmsprop", Alpha: -0.5}, "optimizers: alpha must be in [0,1), got -0.5"},
		{"weight decay negative", optimizers.Config{WeightDecay: -1}, "optimizers: weight-decay must be >= 0, got -1"},
		{"adamw weight decay negative", optimizers.Config{Name: "adamw", WeightDecay: -0.01}, "optimizers: weight-decay must be >= 0, got -0.01"},
		{"lr decay negative", optimizers.Config{Name: "adagrad", LRDecay: -1}, "optimizers: lr-decay must be >= 0, got -1"},
		{"initial accumulator negative", optimizers.Config{Name: "adagrad", InitialAccumulator: -0.1}, "optimizers: initial-accumulator must be >= 0, got -0.1"},
		{"nesterov dampening", optimizers.Config{Name: "nesterov", Dampening: 0.1}, "optimizers: nesterov momentum needs dampening 0, got 0.1"},
		{"nesterov momentum zero", optimizers.Config{Name: "nesterov", Set: set("momentum")}, "optimizers: nesterov needs momentum > 0, got 0"},
		{"beta1 for gd", optimizers.Config{Beta1: 0.9}, "optimizers: option beta1 does not apply to gd"},
		{"alpha set to zero for gd", optimizers.Config{Set: set("alpha")}, "optimizers: option alpha does not apply to gd"},
		{"momentum for adam", optimizers.Config{Name: "adam", Momentum: 0.9}, "optimizers: option momentum does not apply to adam"},
		{"dampening for rmsprop", optimizers.Config{Name: "rmsprop", Dampening: 0.1}, "optimizers: option dampening does not apply to rmsprop"},
		{"centered for adam", optimizers.Config{Name: "adam", Centered: true}, "optimizers: option centered does not apply to adam"},
		{"amsgrad for rmsprop", optimizers.Config{Name: "rmsprop", AMSGrad: true}, "optimizers: option amsgrad does not apply to rmsprop"},
		{"lr-decay for adam", optimizers.Config{Name: "adam", LRDecay: 0.1}, "optimizers: option lr-decay does not apply to adam"},
		{"eps for momentum", optimizers.Config{Name: "momentum", Eps: 1e-8}, "optimizers: option eps does not apply to momentum"},
		{"initial-accumulator for gd", optimizers.Config{InitialAccumulator: 1}, "optimizers: option initial-accumulator does not apply to gd"},
		{"unknown optimizer", optimizers.Config{Name: "sgd"}, `optimizers: unknown optimizer "sgd" (want one of gd, momentum, nesterov, adagrad, rmsprop, adam, adamw)`},
		{"unknown option", optimizers.Config{Set: set("beta3")}, `optimizers: unknown option "beta3"`},
		{"clip-norm negative", optimizers.Config{ClipNorm: -1}, "optimizers: clip-norm must be > 0, got -1"},
		{"clip-norm explicit zero", optimizers.Config{Set: set("clip-norm")}, "optimizers: clip-norm must be > 0, got 0"},
		{"clip-value negative", optimizers.Config{Name: "adam", ClipValue: -0.5}, "optimizers: clip-value must be > 0, got -0.5"},
		{"clip-value explicit zero", optimizers.Config{Set: set("clip-value")}, "optimizers: clip-value must be > 0, got 0"},
		{"bad schedule", optimizers.Config{Schedule: "step:0:0.5"}, `optimizers: schedule "step:0:0.5": step decay interval must be >= 1, got 0 (want ` + optimizers.ScheduleSpecs + ")"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := optimizers.New(c.cfg)
			if err == nil {
				t.Fatalf("New(%+v) succeeded, want %q", c.cfg, c.want)
			}
			if err.Error() != c.want {
				t.Fatalf("got  %q\nwant %q", err, c.want)
			}
		})
	}
}

// TestConfigDefaults checks that a zero field is torch.optim's default
// (from torch's documentation, not from this package) and that a value
// named in Set is kept even when zero.
func TestConfigDefaults(t *testing.T) {
	for _, c := range []struct {
		in, want optimizers.Config
	}{
		{optimizers.Config{}, optimizers.Config{Name: "gd", LR: 0.01}},
		{optimizers.Config{Name: "momentum"}, optimizers.Config{Name: "momentum", LR: 0.01, Momentum: 0.9}},
		{optimizers.Config{Name: "nesterov", LR: 0.1}, optimizers.Config{Name: "nesterov", LR: 0.1, Momentum: 0.9}},
		{optimizers.Config{Name: "adagrad"}, optimizers.Config{Name: "adagrad", LR: 0.01, Eps: 1e-10}},
		{optimizers.Config{Name: "rmsprop"}, optimizers.Config{Name: "rmsprop", LR: 0.01, Alpha: 0.99, Eps: 1e-8}},
		{optimizers.Config{Name: "adam"}, optimizers.Config{Name: "adam", LR: 0.001, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}},
		{optimizers.Config{Name: "adamw"}, optimizers.Config{Name: "adamw", LR: 0.001, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.01}},
		{optimizers.Config{Name: "adamw", Set: set("weight-decay")},
			optimizers.Config{Name: "adamw", LR: 0.001, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, Set: set("weight-decay")}},
		{optimizers.Config{Name: "momentum", Set: set("momentum")}, optimizers.Config{Name: "momentum", LR: 0.01, Set: set("momentum")}},
		{optimizers.Config{Name: "adam", Beta1: 0.5, Set: set("beta2")},
			optimizers.Config{Name: "adam", LR: 0.001, Beta1: 0.5, Eps: 1e-8, Set: set("beta2")}},
	} {
		got, err := c.in.Resolve()
		if err != nil {
			t.Fatalf("%+v: %v", c.in, err)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Resolve(%+v)\n got %+v\nwant %+v", c.in, got, c.want)
		}
		again, err := got.Resolve()
		if err != nil || !reflect.DeepEqual(again, got) {
			t.Errorf("Resolve is not idempotent on %+v: %+v, %v", got, again, err)
		}
	}
}

// TestFromFlags checks the CLI's path: explicit values are validated as
// given, zero included, and marked in Set.
func TestFromFlags(t *testing.T) {
	for _, c := range []struct {
		name    string
		values  map[string]float64
		bools   map[string]bool
		want    optimizers.Config
		wantErr string
	}{
		{name: "adam", values: map[string]float64{"lr": 0.01, "beta1": 0},
			want: optimizers.Config{Name: "adam", LR: 0.01, Beta2: 0.999, Eps: 1e-8, Set: set("lr", "beta1")}},
		{name: "rmsprop", bools: map[string]bool{"centered": true},
			want: optimizers.Config{Name: "rmsprop", LR: 0.01, Alpha: 0.99, Eps: 1e-8, Centered: true, Set: set("centered")}},
		{name: "adam", values: map[string]float64{"eps": 0}, wantErr: "optimizers: eps must be > 0, got 0"},
		{name: "gd", values: map[string]float64{"beta1": 0.9}, wantErr: "optimizers: option beta1 does not apply to gd"},
		{name: "gd", bools: map[string]bool{"amsgrad": false}, wantErr: "optimizers: option amsgrad does not apply to gd"},
		{name: "gd", values: map[string]float64{"betas": 0.9}, wantErr: `optimizers: unknown numeric option "betas"`},
		{name: "gd", values: map[string]float64{"centered": 1}, wantErr: `optimizers: unknown numeric option "centered"`},
		{name: "gd", bools: map[string]bool{"lr": true}, wantErr: `optimizers: unknown boolean option "lr"`},
		{name: "gd", values: map[string]float64{"lr": math.NaN()}, wantErr: "optimizers: lr must be > 0, got NaN"},
	} {
		got, err := optimizers.FromFlags(c.name, c.values, c.bools)
		if c.wantErr != "" {
			if err == nil || err.Error() != c.wantErr {
				t.Errorf("FromFlags(%s, %v, %v) = %v, want error %q", c.name, c.values, c.bools, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("FromFlags(%s, %v, %v)\n got %+v\nwant %+v", c.name, c.values, c.bools, got, c.want)
		}
	}
}

// TestDescribe checks that Describe covers Names, in order, and that each
// optimizer's documented defaults are the ones Resolve fills in.
func TestDescribe(t *testing.T) {
	infos := optimizers.Describe()
	names := optimizers.Names()
	if len(infos) != len(names) {
		t.Fatalf("Describe has %d entries, Names %d", len(infos), len(names))
	}
	for i, info := range infos {
		if info.Name != names[i] {
			t.Errorf("Describe()[%d] is %s, Names()[%d] %s", i, info.Name, i, names[i])
		}
		if info.Formula == "" || info.Paper == "" || info.Defaults == "" {
			t.Errorf("%s: incomplete %+v", info.Name, info)
		}
		values := map[string]float64{}
		bools := map[string]bool{}
		for _, o := range info.Options {
			switch o.Name {
			case "schedule", "clip-norm", "clip-value":
				continue
			case "centered", "amsgrad":
				bools[o.Name] = o.Default == "true"
				continue
			}
			var v float64
			if _, err := fmt.Sscan(o.Default, &v); err != nil {
				t.Fatalf("%s: option %s default %q: %v", info.Name, o.Name, o.Default, err)
			}
			values[o.Name] = v
		}
		explicit, err := optimizers.FromFlags(info.Name, values, bools)
		if err != nil {
			t.Fatalf("%s: its documented defaults are rejected: %v", info.Name, err)
		}
		implicit, err := optimizers.Config{Name: info.Name}.Resolve()
		if err != nil {
			t.Fatal(err)
		}
		explicit.Set = nil
		if !reflect.DeepEqual(explicit, implicit) {
			t.Errorf("%s: documented defaults %+v, resolved %+v", info.Name, explicit, implicit)
		}
		if info.String() == "" {
			t.Errorf("%s: empty String", info.Name)
		}
	}
}
