package models_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/nn"
)

// TestGradCheckUserProblems checks a user's models through GradCheck's
// Problems: a layer sequence on images, a classic sized model, an
// objective and an embedding model, in float64 and float32.
func TestGradCheckUserProblems(t *testing.T) {
	parse := func(spec string) models.Model {
		m, err := nn.Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	mlp, err := models.Parse("mlp:4", 3, 2, "tanh", 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		p    models.CheckProblem
	}{
		{"conv", models.CheckProblem{Name: "conv", Problem: models.Problem{
			Model: parse("conv2d(2,3,padding=1) relu maxpool2d(2) flatten linear(3)"), Loss: "xent", Input: []int{1, 4, 4}, Target: []int{3}}}},
		{"sized mlp, default loss, l2", models.CheckProblem{Name: "mlp", Problem: models.Problem{Model: mlp, L2: 0.1}}},
		{"objective", models.CheckProblem{Name: "rosenbrock", Problem: models.Problem{Model: models.Rosenbrock{X0: -1.2, Y0: 1}}}},
		{"embedding ids", models.CheckProblem{Name: "emb", IDs: 5, Problem: models.Problem{
			Model: parse("embedding(5,2) flatten linear(2)"), Loss: "xent", Input: []int{3}, Target: []int{2}}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rows, err := models.GradCheck(models.CheckOptions{Seed: 3, Rows: 5, Problems: []models.CheckProblem{c.p}})
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 2 {
				t.Fatalf("%d rows, want float64 and float32", len(rows))
			}
			for _, r := range rows {
				if r.Model != c.p.Name || !r.Pass || r.HandErr != nil {
					t.Errorf("%+v: want a passing finite-difference row named %s", r, c.p.Name)
				}
			}
		})
	}
}

// TestGradCheckUserProblemErrors: a problem GradCheck cannot check is an
// error that names it.
func TestGradCheckUserProblemErrors(t *testing.T) {
	seq, err := nn.Parse("linear(2)")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		p    models.CheckProblem
		rows int
		want string
	}{
		{models.CheckProblem{Name: "none"}, 3, "gradcheck none: no model"},
		{models.CheckProblem{Name: "shapeless", Problem: models.Problem{Model: seq}}, 3, "gradcheck shapeless: the input shape [] must be given"},
		{models.CheckProblem{Name: "huge", Problem: models.Problem{Model: seq, Input: []int{1 << 20}, Target: []int{2}}}, 3, "gradcheck huge: the input shape [1048576]"},
		{models.CheckProblem{Name: "ids", IDs: -1, Problem: models.Problem{Model: seq, Input: []int{2}, Target: []int{2}}}, 3, "ids must be >= 0"},
		{models.CheckProblem{Name: "a", Problem: models.Problem{Model: seq, Input: []int{2}, Target: []int{2}}}, 20000, "1 to 10000 rows"},
	} {
		_, err := models.GradCheck(models.CheckOptions{Rows: c.rows, Problems: []models.CheckProblem{c.p}})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.p.Name, err, c.want)
		}
	}
}

// ExampleGradCheck_userModel checks the gradient of a model of one's own,
// here a small convolutional network, against central finite differences
// in float64 and float32.
func ExampleGradCheck_userModel() {
	net, err := nn.Parse("conv2d(4,3,padding=1) relu avgpool2d(2) flatten linear(3)")
	if err != nil {
		panic(err)
	}
	rows, err := models.GradCheck(models.CheckOptions{Problems: []models.CheckProblem{{
		Name:    "my-cnn",
		Problem: models.Problem{Model: net, Loss: "xent", Input: []int{1, 6, 6}, Target: []int{3}},
	}}})
	if err != nil {
		panic(err)
	}
	for _, r := range rows {
		fmt.Println(r.Model, r.Dtype, r.Pass)
	}
	// Output:
	// my-cnn float64 true
	// my-cnn float32 true
}
