package serve

import "github.com/descent-ml/descent/models"

// minimum is a known stationary point of an objective, for the page's
// caption and markers: the library catalog's.
type minimum = models.Stationary

// objectiveInfo is what the playground knows about a built-in objective:
// the library catalog's formula, stationary points and box, and the
// defaults of a race across it (start, steps and one learning rate per
// optimizer that shows each at its best without tuning by the learner).
type objectiveInfo struct {
	Name    string    `json:"name"`
	Title   string    `json:"title"`
	Formula string    `json:"formula"`
	Minima  []minimum `json:"minima"`
	Note    string    `json:"note"`
	// X and Y are the default drawing box.
	X [2]float64 `json:"x"`
	Y [2]float64 `json:"y"`
	// LogZ draws the contours of log₁₀(f − f_min + 10⁻²): a valley whose
	// walls rise by orders of magnitude (Rosenbrock, Beale) shows its floor.
	LogZ  bool       `json:"logz"`
	Start [2]float64 `json:"start"`
	Steps int        `json:"steps"`
	// Paths are the default optimizers, as path specs.
	Paths []string `json:"paths"`
	// CLI says whether `descent surface --objective` knows it.
	CLI bool `json:"cli"`
}

// raceDefaults holds the playground's own defaults for each catalog objective.
type raceDefaults struct {
	logZ  bool
	start [2]float64
	steps int
	paths []string
}

var races = map[string]raceDefaults{
	"hills":      {false, [2]float64{2.5, 1.5}, 300, []string{"gd,lr=0.1", "momentum,lr=0.05", "adam,lr=0.1"}},
	"rosenbrock": {true, [2]float64{-1.2, 1}, 3000, []string{"gd,lr=0.001", "momentum,lr=0.001", "adam,lr=0.05"}},
	"bowl":       {false, [2]float64{-2.5, 2}, 200, []string{"gd,lr=0.15", "momentum,lr=0.05", "adam,lr=0.2"}},
	"saddle":     {false, [2]float64{-1.8, 0.001}, 300, []string{"gd,lr=0.05", "momentum,lr=0.05", "adam,lr=0.05"}},
	"beale":      {true, [2]float64{1, 1.5}, 1000, []string{"gd,lr=0.001", "momentum,lr=0.0005", "adam,lr=0.05"}},
}

// objectives lists the built-in objectives in the catalog's order.
var objectives = func() []objectiveInfo {
	out := make([]objectiveInfo, 0, len(models.Objectives))
	for _, c := range models.Objectives {
		r := races[c.Name]
		out = append(out, objectiveInfo{Name: c.Name, Title: c.Title, Formula: c.Formula, Minima: c.Points, Note: c.Note,
			X: c.X, Y: c.Y, LogZ: r.logZ, Start: r.start, Steps: r.steps, Paths: r.paths, CLI: true})
	}
	return out
}()

// objectiveByName returns the named objective.
func objectiveByName(name string) (objectiveInfo, bool) {
	for _, o := range objectives {
		if o.Name == name {
			return o, true
		}
	}
	return objectiveInfo{}, false
}

// objectiveNames lists the objectives, for error messages.
func objectiveNames() []string {
	names := make([]string, len(objectives))
	for i, o := range objectives {
		names[i] = o.Name
	}
	return names
}
