package job

import (
	"fmt"
	"math"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/dist"
	"github.com/descent-ml/descent/train"
)

// Shard makes a Job one process of a data-parallel run (Horovod's
// pattern, package dist): its Data holds rows [Lo, Lo+Data.N) of the
// Total rows of the whole dataset, in file order, and every process of
// Comm runs the same Job on its own rows. The processes then agree on
// everything that depends on all rows through Comm: the class labels and
// the loss chosen from them, the validation split (Split's rows exactly),
// the standardization (FitStatsShared), each batch's gradient and loss,
// the validation loss and the metrics; and they end with the same
// parameters, those one process reaches on the whole dataset, to
// rounding. ReadShard and ShardOf make a process's Data and Shard.
//
// A process that fails must end the world, with Comm.Abort, rather than
// return: the others wait for it in their next collective.
type Shard struct {
	Comm      dist.Comm
	Lo, Total int
}

// ReadShard reads this process's part of a CSV file (data.ReadCSVPart:
// the rows whose lines start in its byte range) or of a row file
// (data.ReadRowFilePart: its range of rows), and places it among the parts
// by gathering every process's row count.
func ReadShard(path string, opt data.CSVOptions, comm dist.Comm) (*data.Dataset, *Shard, error) {
	read := data.ReadCSVPart
	if data.IsRowFile(path) {
		read = data.ReadRowFilePart
	}
	ds, err := read(path, opt, comm.Rank(), comm.Size())
	if err != nil {
		return nil, nil, err
	}
	counts, err := data.Gather(comm, []float64{float64(ds.N)})
	if err != nil {
		return nil, nil, err
	}
	s := &Shard{Comm: comm}
	for q, n := range counts {
		if q < comm.Rank() {
			s.Lo += int(n)
		}
		s.Total += int(n)
	}
	if s.Total == 0 {
		return nil, nil, fmt.Errorf("data: %s: no data rows after the header", path)
	}
	return ds, s, nil
}

// ShardOf gives this process its contiguous share of a dataset that every
// process holds in memory (a built-in one): rows [r·N/P, (r+1)·N/P) of
// N for rank r of P.
func ShardOf(ds *data.Dataset, comm dist.Comm) (*data.Dataset, *Shard) {
	r, p := comm.Rank(), comm.Size()
	lo, hi := r*ds.N/p, (r+1)*ds.N/p
	idx := make([]int, hi-lo)
	for i := range idx {
		idx[i] = lo + i
	}
	return ds.Subset(idx), &Shard{Comm: comm, Lo: lo, Total: ds.N}
}

// check checks the shard against its data.
func (s *Shard) check(n int) error {
	switch {
	case s.Comm == nil:
		return fmt.Errorf("job: the shard has no communicator")
	case s.Lo < 0 || n < 0 || s.Total < 1 || s.Lo > s.Total-n:
		return fmt.Errorf("job: the shard's rows [%d,%d) do not lie in the %d rows of the whole dataset", s.Lo, s.Lo+n, s.Total)
	}
	return nil
}

// part is where the shard lies, for package data.
func (s *Shard) part() data.Part { return data.Part{Lo: s.Lo, Total: s.Total} }

// Ranks is the number of processes the job runs on: 1 without a shard.
func (p *Prepared) Ranks() int {
	if c, ok := p.comm(); ok {
		return c.Size()
	}
	return 1
}

// DataName names the job's dataset, for titles.
func (p *Prepared) DataName() string {
	if s := p.stream; s != nil {
		return s.st.Name
	}
	return p.job.Data.Name
}

// Rows is the number of rows of the whole dataset the job trains and
// validates on, over all processes.
func (p *Prepared) Rows() int {
	n := p.Train.N
	if p.Train.Total > 0 {
		n = p.Train.Total
	}
	if v := p.Val; v != nil {
		if v.Total > 0 {
			n += v.Total
		} else {
			n += v.N
		}
	}
	return n
}

// labels is the labeler of the job's target.
func (j *Job) labels(ds *data.Dataset) labeler {
	if s := j.Shard; s != nil {
		return sharedLabels{ds: ds, at: s.part(), r: s.Comm}
	}
	return localLabels{ds}
}

// split holds out the validation rows: data.Split in one process, and its
// part of the same rows (data.SplitPart) in a shard. It also places the
// training and validation sets among the processes.
func (j *Job) split(ds *data.Dataset) (tr, va *data.Dataset, trAt, vaAt data.Part, err error) {
	s := j.Shard
	if s == nil {
		tr, va, err = data.Split(ds, j.ValSplit, int64(j.Loop.Seed))
		return tr, va, data.Part{}, data.Part{}, err
	}
	return data.SplitPart(ds, s.part(), j.ValSplit, int64(j.Loop.Seed))
}

// fitStats fits standardization statistics to the n×d rows X: FitStats in
// one process, FitStatsShared over every process's rows in a shard.
func (j *Job) fitStats(X []float64, n, d int) (data.Stats, error) {
	if s := j.Shard; s != nil {
		return data.FitStatsShared(X, n, d, s.Comm)
	}
	return data.FitStats(X, n, d), nil
}

// place marks encoded data as one process's share.
func place(d *train.Data, at data.Part) {
	if at.Total > 0 {
		d.Lo, d.Total = at.Lo, at.Total
	}
}

// comm is the job's data-parallel world, and whether it has one.
func (p *Prepared) comm() (dist.Comm, bool) {
	if s := p.job.Shard; s != nil {
		return s.Comm, true
	}
	if s := p.stream; s != nil && s.comm != nil {
		return s.comm, true
	}
	return nil, false
}

// reducedMetrics is Metrics over d's pieces (train.Data.Each) and, with a
// communicator, over every process's rows: counts and sums are added, and
// the targets' spread about their mean, for R², is merged piece by piece
// and process by process with the pairwise update of Chan, Golub & LeVeque
// (one pass, so that a streamed set is read once). Every process gets the
// metrics one process computes on all the rows, to rounding.
func (p *Prepared) reducedMetrics(d train.Data, comm dist.Comm) (*Metrics, error) {
	// [non-finite predictions, rows, correct, Σ(y−ŷ)², Σ|y−ŷ|, n·mean(y)]
	s := make([]float64, 6)
	var ym, ym2, yn float64 // the targets' mean, M2 and count so far
	single := p.Engine.Outputs() == d.T && p.Classes == 0
	var pred, y []float64
	err := d.Each(func(X, Y, labels []float64, m int) error {
		var err error
		if pred, err = p.Engine.Predict(X, m, grow(pred, m*p.Engine.Outputs())); err != nil {
			return err
		}
		for _, v := range pred {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				s[0] = 1
				return nil
			}
		}
		s[1] += float64(m)
		if p.Classes > 0 {
			for i, c := range train.Classify(pred, d.Classes) {
				if float64(c) == labels[i] {
					s[2]++
				}
			}
			return nil
		}
		if !single {
			return nil
		}
		y = append(y[:0], Y[:m]...)
		if st := p.TargetStats; st != nil {
			for i := range pred {
				pred[i] = pred[i]*st.Std[0] + st.Mean[0]
				y[i] = y[i]*st.Std[0] + st.Mean[0]
			}
		}
		var bm, bm2 float64
		for i, v := range y {
			s[3] += (v - pred[i]) * (v - pred[i])
			s[4] += math.Abs(v - pred[i])
			bm += v
		}
		bm /= float64(m)
		for _, v := range y {
			bm2 += (v - bm) * (v - bm)
		}
		n := yn + float64(m)
		delta := bm - ym
		ym += delta * float64(m) / n
		ym2 += bm2 + delta*delta*yn*float64(m)/n
		yn = n
		return nil
	})
	if err != nil {
		return nil, err
	}
	s[5] = yn * ym
	if comm != nil {
		if err := comm.AllreduceSum64(s); err != nil {
			return nil, err
		}
	}
	if s[0] > 0 || s[1] == 0 {
		return nil, nil // nothing worth scoring
	}
	m := &Metrics{}
	n := s[1]
	if p.Classes > 0 {
		acc := s[2] / n
		m.Accuracy = &acc
		return m, nil
	}
	if !single {
		return m, nil // several outputs per row: no single target to score
	}
	mean := s[5] / n
	tot := []float64{ym2 + yn*(ym-mean)*(ym-mean)}
	if comm != nil {
		if err := comm.AllreduceSum64(tot); err != nil {
			return nil, err
		}
	}
	r2, rmse, mae := math.NaN(), math.Sqrt(s[3]/n), s[4]/n
	if tot[0] != 0 {
		r2 = 1 - s[3]/tot[0]
	}
	if isFinite(r2) {
		m.R2 = &r2
	}
	if isFinite(rmse) {
		m.RMSE, m.MAE = &rmse, &mae
	}
	return m, nil
}

func grow(b []float64, n int) []float64 {
	if cap(b) < n {
		return make([]float64, n)
	}
	return b[:n]
}

// Confusion is the confusion matrix of the engine's current parameters on
// d, counted over every process's rows of it.
func (p *Prepared) Confusion(d train.Data) (*train.Confusion, error) {
	if p.Classes == 0 {
		return nil, fmt.Errorf("job: a confusion matrix is for classifiers; this is a regression")
	}
	comm, shared := p.comm()
	if !shared && d.Source == nil {
		pred, err := p.Engine.Predict(d.X, d.N, nil)
		if err != nil {
			return nil, err
		}
		return train.NewConfusion(pred, d.Labels, d.Classes)
	}
	k := max(d.Classes, 2)
	counts := make([]float64, k*k)
	var pred []float64
	err := d.Each(func(X, _, labels []float64, m int) error {
		var err error
		if pred, err = p.Engine.Predict(X, m, grow(pred, m*p.Engine.Outputs())); err != nil {
			return err
		}
		c, err := train.NewConfusion(pred, labels, d.Classes)
		if err != nil {
			return err
		}
		for i, row := range c.Counts {
			for j, v := range row {
				counts[i*k+j] += float64(v)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if shared {
		if err := comm.AllreduceSum64(counts); err != nil {
			return nil, err
		}
	}
	c := &train.Confusion{Counts: make([][]int, k)}
	for i := range c.Counts {
		c.Counts[i] = make([]int, k)
		for j := range c.Counts[i] {
			c.Counts[i][j] = int(counts[i*k+j])
		}
	}
	return c, nil
}
