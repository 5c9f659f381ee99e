package models

import (
	"fmt"
	"sort"
	"strings"
)

// Stationary is a known stationary point of an objective.
type Stationary struct {
	X    float64 `json:"x"`
	Y    float64 `json:"y"`
	F    float64 `json:"f"`
	Kind string  `json:"kind"` // "global minimum", "local minimum" or "saddle point"
}

// ObjectiveInfo is one row of the catalog of built-in objectives: what
// `descent surface --objective` and the playground know about each.
type ObjectiveInfo struct {
	Name    string `json:"name"`
	Title   string `json:"title"`
	Formula string `json:"formula"`
	// Points are its known stationary points (checked by tests).
	Points []Stationary `json:"minima"`
	Note   string       `json:"note"`
	// X and Y are the default drawing box.
	X [2]float64 `json:"x"`
	Y [2]float64 `json:"y"`
	// LR and Steps are gradient descent's defaults for the command line,
	// and Starts its several default starting points.
	LR     float64      `json:"-"`
	Steps  int          `json:"-"`
	Starts [][2]float64 `json:"-"`
	// New builds the objective; cond is the bowl's condition number (0
	// means its default) and is ignored by the others.
	New func(cond float64) Objective `json:"-"`
}

// Minima returns the catalog entry's minima (its stationary points that
// are minima).
func (o ObjectiveInfo) Minima() []Stationary {
	var out []Stationary
	for _, p := range o.Points {
		if strings.HasSuffix(p.Kind, "minimum") {
			out = append(out, p)
		}
	}
	return out
}

// Objectives is the catalog, in the order learners meet them.
var Objectives = []ObjectiveInfo{
	{
		Name: "hills", Title: "Hills", Formula: "f(x, y) = sin(x)·cos(y) + 0.1·(x² + y²)",
		Points: []Stationary{
			{-1.306440, 0, -0.794582, "global minimum"},
			{1.265514, 2.571954, 0.018488, "local minimum"},
			{1.265514, -2.571954, 0.018488, "local minimum"},
			{3.837467, 0, 0.831559, "local minimum"},
		},
		Note: "several valleys: where a path ends depends on where it starts and on its momentum",
		X:    [2]float64{-4, 4}, Y: [2]float64{-4, 4}, LR: 0.1, Steps: 200,
		Starts: [][2]float64{{-3, -3}, {-0.5, 2.5}, {0.5, 0.5}, {2, 0}, {3, 3}},
		New:    func(float64) Objective { return Hills{} },
	},
	{
		Name: "rosenbrock", Title: "Rosenbrock", Formula: "f(x, y) = (1 − x)² + 100·(y − x²)²",
		Points: []Stationary{{1, 1, 0, "global minimum"}},
		Note:   "a curved, nearly flat valley: easy to find, slow to follow (Rosenbrock 1960)",
		X:      [2]float64{-2, 2}, Y: [2]float64{-1, 3}, LR: 0.001, Steps: 5000,
		Starts: [][2]float64{{-1.2, 1}, {0, 2.5}, {1.5, -0.5}},
		New:    func(float64) Objective { return Rosenbrock{} },
	},
	{
		Name: "bowl", Title: "Quadratic bowl", Formula: "f(x, y) = ½·(x² + κ·y²)",
		Points: []Stationary{{0, 0, 0, "global minimum"}},
		Note:   "the condition number κ stretches the bowl: gd must keep lr < 2/κ and then crawls along x",
		X:      [2]float64{-3, 3}, Y: [2]float64{-3, 3}, LR: 0.15, Steps: 200,
		Starts: [][2]float64{{-2.5, 2}, {2.5, 0.5}},
		New:    func(cond float64) Objective { return Bowl{Cond: cond} },
	},
	{
		Name: "saddle", Title: "Saddle", Formula: "f(x, y) = x² + ¼y⁴ − ½y²",
		Points: []Stationary{{0, 1, -0.25, "global minimum"}, {0, -1, -0.25, "global minimum"}, {0, 0, 0, "saddle point"}},
		Note:   "on the line y = 0 the gradient has no y part: a path started there stops at the saddle; a hair off it escapes",
		X:      [2]float64{-2, 2}, Y: [2]float64{-2, 2}, LR: 0.05, Steps: 300,
		Starts: [][2]float64{{-1.8, 0}, {-1.8, 0.001}, {1.5, -1.5}},
		New:    func(float64) Objective { return Saddle{} },
	},
	{
		Name: "beale", Title: "Beale", Formula: "f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
		Points: []Stationary{{3, 0.5, 0, "global minimum"}},
		Note:   "flat valleys between steep walls (Beale 1958): the learning rate that is safe on the walls is slow on the floor",
		X:      [2]float64{-4.5, 4.5}, Y: [2]float64{-4.5, 4.5}, LR: 0.001, Steps: 3000,
		Starts: [][2]float64{{1, 1.5}, {-1, -1}},
		New:    func(float64) Objective { return Beale{} },
	},
}

// LookupObjective returns the catalog entry of a built-in objective.
func LookupObjective(name string) (ObjectiveInfo, error) {
	for _, o := range Objectives {
		if o.Name == name {
			return o, nil
		}
	}
	return ObjectiveInfo{}, fmt.Errorf("models: unknown objective %q (want %s)", name, strings.Join(ObjectiveNames(), ", "))
}

// ObjectiveNames lists the catalog's names, sorted.
func ObjectiveNames() []string {
	names := make([]string, len(Objectives))
	for i, o := range Objectives {
		names[i] = o.Name
	}
	sort.Strings(names)
	return names
}
