package mongostore

import (
	"context"
	"errors"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/sipas/sipas/surveys"
)

// InsertResponses stores rs and returns, per response, whether it was new.
// The unique _id makes a replay (even one racing the original on another
// server) a duplicate key, reported as false. New responses are then added
// to this instance's rollups. It returns once both writes are
// acknowledged with majority, journaled write concern.
func (s *Store) InsertResponses(ctx context.Context, rs []surveys.Response) ([]bool, error) {
	if len(rs) == 0 {
		return []bool{}, nil
	}
	for i := range rs {
		if _, err := s.definition(rs[i].Survey); err != nil {
			return nil, err
		}
	}
	created, insertErr := s.insertResponseDocs(ctx, rs)
	// The responses written are stored whatever else failed: count them,
	// or the rollups fall behind until the next heal.
	var fresh []*surveys.Response
	for i := range rs {
		if created[i] {
			fresh = append(fresh, &rs[i])
		}
	}
	rollupErr := errors.Join(s.addToRollups(ctx, fresh), s.addToDims(ctx, fresh))
	if insertErr != nil {
		return nil, insertErr
	}
	if rollupErr != nil {
		return nil, rollupErr
	}
	return created, nil
}

// insertResponseDocs inserts the response documents only, unordered, and
// reports which were new. On an error other than duplicate keys, created
// still tells which documents were written.
func (s *Store) insertResponseDocs(ctx context.Context, rs []surveys.Response) ([]bool, error) {
	docs := make([]any, len(rs))
	for i := range rs {
		docs[i] = toResponseDoc(&rs[i])
	}
	created := make([]bool, len(rs))
	for i := range created {
		created[i] = true
	}
	_, err := s.coll(collResponses).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	if err == nil {
		return created, nil
	}
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) {
		// A failure that does not say which documents were written (a
		// dropped connection mid-batch, say): report none as new; the
		// caller's retry sees replays, and healing counts them.
		for i := range created {
			created[i] = false
		}
		return created, storeErr(err, "insert responses")
	}
	// Every document not named in a write error was written, even when
	// the write concern was not met: report those as new so that they
	// are counted, but still fail.
	var failed error
	if bwe.WriteConcernError != nil {
		failed = bwe.WriteConcernError
	}
	for _, we := range bwe.WriteErrors {
		if we.Index < 0 || we.Index >= len(rs) {
			continue
		}
		created[we.Index] = false
		if !mongo.IsDuplicateKeyError(we) {
			failed = errors.Join(failed, we)
		}
	}
	if failed != nil {
		return created, storeErr(failed, "insert responses")
	}
	return created, nil
}

// Response returns one stored response, or an ENOTFOUND error.
func (s *Store) Response(ctx context.Context, id string) (surveys.Response, error) {
	var d responseDoc
	err := s.coll(collResponses).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if err != nil {
		if errors.Is(err, mongo.ErrNoDocuments) {
			return surveys.Response{}, surveys.Wrap(surveys.ENOTFOUND, err, "no such response")
		}
		return surveys.Response{}, storeErr(err, "find response")
	}
	return toResponse(&d), nil
}

// CountResponses counts stored responses matching f.
func (s *Store) CountResponses(ctx context.Context, f surveys.ResponseFilter) (int64, error) {
	n, err := s.coll(collResponses).CountDocuments(ctx, responseFilter(f))
	if err != nil {
		return 0, storeErr(err, "count responses")
	}
	return n, nil
}

// EachResponse calls fn for every response matching f, ordered by
// SubmittedAt then ID, from a cursor.
func (s *Store) EachResponse(ctx context.Context, f surveys.ResponseFilter, fn func(*surveys.Response) error) error {
	opts := options.Find().
		SetSort(bson.D{{Key: "submitted_at", Value: 1}, {Key: "_id", Value: 1}}).
		SetAllowDiskUse(true) // a filter the indexes do not cover may sort a lot

	cur, err := s.coll(collResponses).Find(ctx, responseFilter(f), opts)
	if err != nil {
		return storeErr(err, "find responses")
	}
	defer cur.Close(context.WithoutCancel(ctx))
	for cur.Next(ctx) {
		var d responseDoc
		if err := cur.Decode(&d); err != nil {
			return storeErr(err, "decode response")
		}
		r := toResponse(&d)
		if err := fn(&r); err != nil {
			return err
		}
	}
	return storeErr(cur.Err(), "read responses")
}
