package mongostore

import (
	"context"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/sipas/sipas/surveys"
)

// RecentComments returns up to limit responses of f that carry a comment,
// newest first; the (survey, submitted_at) index serves the sort.
func (s *Store) RecentComments(ctx context.Context, f surveys.ResponseFilter, limit int) ([]surveys.Response, error) {
	filter := append(responseFilter(f), bson.E{Key: "extra.comment", Value: bson.D{{Key: "$exists", Value: true}}})
	opts := options.Find().
		SetSort(bson.D{{Key: "submitted_at", Value: -1}, {Key: "_id", Value: -1}}).
		SetLimit(int64(limit))
	cur, err := s.coll(collResponses).Find(ctx, filter, opts)
	if err != nil {
		return nil, storeErr(err, "find comments")
	}
	defer cur.Close(context.WithoutCancel(ctx))
	var out []surveys.Response
	for cur.Next(ctx) {
		var d responseDoc
		if err := cur.Decode(&d); err != nil {
			return nil, storeErr(err, "decode response")
		}
		out = append(out, toResponse(&d))
	}
	return out, storeErr(cur.Err(), "read comments")
}
