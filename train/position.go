package train

import "fmt"

// Position is where a run stands: what a checkpoint saves, beside the
// parameters, buffers and optimizer state, so that a resumed run continues
// bit-identically, from inside an epoch if need be. Batch orders need no
// saving: epoch e's order is a pure function of the seed and e.
type Position struct {
	// Epoch is the number of completed epochs.
	Epoch int `json:"epoch"`
	// Batch is the number of batches done in epoch Epoch+1 (0 at an epoch
	// boundary).
	Batch int `json:"batch"`
	// Steps is the number of updates made.
	Steps int `json:"steps"`
	// EpochLoss is the partial epoch's row-weighted loss sum.
	EpochLoss float64 `json:"epoch_loss"`
	// Prev is the last completed epoch's loss, for the loss tolerance.
	Prev *float64 `json:"prev_loss,omitempty"`
	// BestVal, BestEpoch and Best are early stopping's best validation
	// loss, its epoch and its parameters.
	BestVal   *float64             `json:"best_val_loss,omitempty"`
	BestEpoch int                  `json:"best_epoch,omitempty"`
	Best      map[string][]float64 `json:"best_params,omitempty"`
}

// MaxEpochCount bounds the epochs a run or a checkpoint may claim (2^50), so a
// hostile checkpoint cannot make a resume spin.
const MaxEpochCount = 1 << 50

func (p Position) check(epochs, batches int) error {
	switch {
	case p.Epoch < 0 || p.Batch < 0 || p.Steps < 0:
		return fmt.Errorf("train: the checkpoint's position (epoch %d, batch %d, steps %d) has a negative count", p.Epoch, p.Batch, p.Steps)
	case p.Epoch > MaxEpochCount:
		return fmt.Errorf("train: the checkpoint claims %d epochs, more than %d", p.Epoch, MaxEpochCount)
	case p.Epoch > epochs:
		return fmt.Errorf("train: the checkpoint has done %d epochs, more than the %d asked for (raise --epochs to continue it)", p.Epoch, epochs)
	case p.Batch >= batches && p.Batch > 0:
		return fmt.Errorf("train: the checkpoint stopped after batch %d of an epoch, but an epoch has %d batches here (was the batch size or the data changed?)", p.Batch, batches)
	case p.Steps > (p.Epoch+1)*batches:
		return fmt.Errorf("train: the checkpoint claims %d steps in %d epochs of %d batches", p.Steps, p.Epoch, batches)
	case !isFinite(p.EpochLoss):
		return fmt.Errorf("train: the checkpoint's partial epoch loss is %v", p.EpochLoss)
	}
	return nil
}

func (p Position) clone() Position {
	q := p
	if p.Prev != nil {
		v := *p.Prev
		q.Prev = &v
	}
	if p.BestVal != nil {
		v := *p.BestVal
		q.BestVal = &v
	}
	if p.Best != nil {
		q.Best = cloneParams(p.Best)
	}
	return q
}
