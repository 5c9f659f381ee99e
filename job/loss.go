package job

import (
	"fmt"
	"math"
	"strings"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/internal/lex"
	"github.com/descent-ml/descent/models"
	"github.com/descent-ml/descent/ops"
)

// LossChoice is the loss (and, when none was named, the model) a job
// trains with, and why.
type LossChoice struct {
	Loss, Model string
	// Classes is the number of classes of a classification target.
	Classes int
	Reason  string
}

// MaxLabelClasses is the most classes a target of integer labels may have
// to be taken for class labels when no loss is named.
const MaxLabelClasses = 1000

// ChooseLoss picks the loss for a dataset and a model spec when none is
// named. Logistic regression takes bce and softmax xent. A target that
// holds class labels (integers 0..k−1, every one present, at least two rows
// per class on average, as in iris or digits) gets a classifier: xent, or
// bce for two classes with a one-output model, and an unnamed model
// becomes softmax (logistic for two classes). Anything else is a
// regression with mse. Regression on a target of labels needs an explicit
// loss (mse, say); a classic linear model named explicitly on labels is an
// error that says so.
func ChooseLoss(ds *data.Dataset, spec string, module models.Model, loss string) (LossChoice, error) {
	return chooseLoss(localLabels{ds}, spec, module, loss)
}

// chooseLoss is ChooseLoss over the target lab describes.
func chooseLoss(lab labeler, spec string, module models.Model, loss string) (LossChoice, error) {
	target := lab.target()
	c := LossChoice{Loss: loss, Model: spec}
	if loss != "" {
		info, err := ops.LossInfo(loss)
		if err != nil {
			return c, err
		}
		c.Reason = "given"
		if info.Classes != "" {
			if c.Classes, err = lab.classes(); err != nil {
				return c, err
			}
			if info.Classes == "binary" && c.Classes > 2 {
				return c, fmt.Errorf("job: bce needs labels 0 and 1, the target %q has %d classes (use --loss xent)", target, c.Classes)
			}
			if info.Classes == "multi" && c.Classes < 2 {
				return c, fmt.Errorf("job: xent needs at least 2 classes, the target %q has %d", target, c.Classes)
			}
			if c.Classes > lab.rows() {
				return c, fmt.Errorf("job: the target %q has labels up to %d (%d classes) in only %d rows; class labels are 0, 1, …, k−1 with k far below the rows (is %q the target column?)", target, c.Classes-1, c.Classes, lab.rows(), target)
			}
		} else if spec == "logistic" || spec == "softmax" {
			return c, fmt.Errorf("job: model %s is a classifier; use --loss bce or xent, not %s", spec, loss)
		}
		if info.Classes == "multi" && (spec == "linear" || strings.HasPrefix(spec, "poly:")) {
			return c, fmt.Errorf("job: %s has one output, and xent needs one per class: use --model softmax (or a network ending in linear(%d))", spec, c.Classes)
		}
		if c.Model == "" && module == nil {
			c.Model = "linear"
			if info.Classes == "binary" {
				c.Model = "logistic"
			} else if info.Classes == "multi" {
				c.Model = "softmax"
			}
		}
		return c, nil
	}
	switch spec {
	case "logistic":
		c.Loss, c.Reason = "bce", "logistic regression"
		k, err := lab.classes()
		c.Classes = k
		if err == nil && k > 2 {
			err = fmt.Errorf("job: bce needs labels 0 and 1, the target %q has %d classes (use --model softmax, or --loss xent)", target, k)
		}
		return c, err
	case "softmax":
		c.Loss, c.Reason = "xent", "softmax regression"
		k, err := lab.classes()
		c.Classes = k
		return c, err
	}
	k, ok, err := lab.labelClasses()
	if err != nil {
		return c, err
	}
	if !ok {
		c.Loss, c.Reason = "mse", "the target is a real number"
		if c.Model == "" && module == nil {
			c.Model = "linear"
		}
		return c, nil
	}
	c.Classes = k
	why := fmt.Sprintf("the target %q holds integer class labels 0..%d; pass --loss mse for a regression", target, k-1)
	switch {
	case c.Model == "" && module == nil:
		c.Model, c.Loss = "softmax", "xent"
		if k == 2 {
			c.Model, c.Loss = "logistic", "bce"
		}
		c.Reason = why
	case spec == "linear" || strings.HasPrefix(spec, "poly:"):
		return c, fmt.Errorf("job: the target %q holds %d class labels, and %s is a regression model: use --model softmax (or logistic for 2 classes), or pass --loss mse to fit the labels as numbers", target, k, spec)
	default:
		c.Loss, c.Reason = "xent", why
		if k == 2 && singleOutput(spec) {
			c.Loss = "bce"
		}
	}
	return c, nil
}

// labelClasses reports whether a target holds class labels, and how many.
func labelClasses(ds *data.Dataset) (int, bool) {
	if ds.N == 0 {
		return 0, false
	}
	maxv := -1.0
	for _, v := range ds.Y {
		if v < 0 || v != math.Trunc(v) || v >= MaxLabelClasses {
			return 0, false
		}
		maxv = math.Max(maxv, v)
	}
	k := int(maxv) + 1
	if k < 2 || ds.N < 2*k {
		return 0, false
	}
	seen := make([]bool, k)
	for _, v := range ds.Y {
		seen[int(v)] = true
	}
	for _, s := range seen {
		if !s {
			return 0, false
		}
	}
	return k, true
}

// singleOutput reports whether an MLP spec ends in one output: never for
// the classic mlp (its outputs follow the classes), and for a layer
// sequence ending in linear(1).
func singleOutput(spec string) bool {
	return strings.HasSuffix(strings.ReplaceAll(spec, " ", ""), "linear(1)")
}

func outputHint(c LossChoice, k int) string {
	if c.Loss == "xent" {
		return fmt.Sprintf(" (one per class of %d): end the model with linear(%d)", k, k)
	}
	return ": end the model with linear(1)"
}

func listNames(names []string) string {
	if len(names) > 8 {
		return strings.Join(names[:8], ", ") + fmt.Sprintf(", … (%d in all)", len(names))
	}
	return strings.Join(names, ", ")
}

func quote(s string) string { return lex.Quote(s) }

func dims(shape []int) string {
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = fmt.Sprint(d)
	}
	return strings.Join(parts, ",")
}
