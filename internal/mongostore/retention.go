package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/bson"
)

// PurgeComments removes the free-text comment of every response submitted
// before before (the retention setting) and returns how many it changed.
// Answers, and so every index, are untouched.
func (s *Store) PurgeComments(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.coll(collResponses).UpdateMany(ctx,
		bson.D{{Key: "submitted_at", Value: bson.D{{Key: "$lt", Value: before.UTC()}}},
			{Key: "extra.comment", Value: bson.D{{Key: "$exists", Value: true}}}},
		bson.D{{Key: "$unset", Value: bson.D{{Key: "extra.comment", Value: ""}}}})
	if err != nil {
		return 0, storeErr(err, "purge comments")
	}
	return res.ModifiedCount, nil
}
