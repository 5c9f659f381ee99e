package serve

// minimum is a known stationary point of an objective, for the page's
// caption and markers.
type minimum struct {
	X    float64 `json:"x"`
	Y    float64 `json:"y"`
	F    float64 `json:"f"`
	Kind string  `json:"kind"` // "global minimum", "local minimum", "saddle point"
}

// objectiveInfo is what the playground knows about a built-in objective:
// its formula and known stationary points, the box it is drawn in, and
// the defaults of a race across it (start, steps and one learning rate per
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

// objectives lists the built-in objectives in the order the page offers
// them. The minima are checked by TestObjectiveMinima.
var objectives = []objectiveInfo{
	{
		Name: "hills", Title: "Hills", Formula: "f(x, y) = sin(x)·cos(y) + 0.1·(x² + y²)",
		Minima: []minimum{
			{-1.306440, 0, -0.794582, "global minimum"},
			{1.265514, 2.571954, 0.018488, "local minimum"},
			{1.265514, -2.571954, 0.018488, "local minimum"},
			{3.837467, 0, 0.831559, "local minimum"},
		},
		Note: "several valleys: where a path ends depends on where it starts and on its momentum",
		X:    [2]float64{-4, 4}, Y: [2]float64{-4, 4}, Start: [2]float64{2.5, 1.5}, Steps: 300,
		Paths: []string{"gd,lr=0.1", "momentum,lr=0.05", "adam,lr=0.1"}, CLI: true,
	},
	{
		Name: "rosenbrock", Title: "Rosenbrock", Formula: "f(x, y) = (1 − x)² + 100·(y − x²)²",
		Minima: []minimum{{1, 1, 0, "global minimum"}},
		Note:   "a curved, nearly flat valley: easy to find, slow to follow (Rosenbrock 1960)",
		X:      [2]float64{-2, 2}, Y: [2]float64{-1, 3}, LogZ: true, Start: [2]float64{-1.2, 1}, Steps: 3000,
		Paths: []string{"gd,lr=0.001", "momentum,lr=0.001", "adam,lr=0.05"}, CLI: true,
	},
	{
		Name: "bowl", Title: "Quadratic bowl", Formula: "f(x, y) = ½·(x² + κ·y²)",
		Minima: []minimum{{0, 0, 0, "global minimum"}},
		Note:   "the condition number κ stretches the bowl: gd must keep lr < 2/κ and then crawls along x",
		X:      [2]float64{-3, 3}, Y: [2]float64{-3, 3}, Start: [2]float64{-2.5, 2}, Steps: 200,
		Paths: []string{"gd,lr=0.15", "momentum,lr=0.05", "adam,lr=0.2"},
	},
	{
		Name: "saddle", Title: "Saddle", Formula: "f(x, y) = x² + ¼y⁴ − ½y²",
		Minima: []minimum{{0, 1, -0.25, "global minimum"}, {0, -1, -0.25, "global minimum"}, {0, 0, 0, "saddle point"}},
		Note:   "on the line y = 0 the gradient has no y part: a path started there stops at the saddle; a hair off it escapes",
		X:      [2]float64{-2, 2}, Y: [2]float64{-2, 2}, Start: [2]float64{-1.8, 0.001}, Steps: 300,
		Paths: []string{"gd,lr=0.05", "momentum,lr=0.05", "adam,lr=0.05"},
	},
	{
		Name: "beale", Title: "Beale", Formula: "f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
		Minima: []minimum{{3, 0.5, 0, "global minimum"}},
		Note:   "flat valleys between steep walls (Beale 1958): the learning rate that is safe on the walls is slow on the floor",
		X:      [2]float64{-4.5, 4.5}, Y: [2]float64{-4.5, 4.5}, LogZ: true, Start: [2]float64{1, 1.5}, Steps: 1000,
		Paths: []string{"gd,lr=0.001", "momentum,lr=0.0005", "adam,lr=0.05"},
	},
}

// objectiveByName returns the catalog entry for name.
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
