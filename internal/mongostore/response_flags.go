package mongostore

import (
	"context"
	"errors"
	"slices"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"

	"github.com/sipas/sipas/surveys"
)

// SetFlag adds flag to (on) or removes it from (off) the stored response
// id, and reports whether that changed anything. Answers and rollups are
// not touched. (Read, then $set of the whole list: the flags of one
// response are changed by staff, one at a time.)
func (s *Store) SetFlag(ctx context.Context, id, flag string, on bool) (bool, error) {
	var d responseDoc
	err := s.coll(collResponses).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return false, surveys.Errorf(surveys.ENOTFOUND, "no response %s", id)
	}
	if err != nil {
		return false, storeErr(err, "find response")
	}
	flags := d.Flags
	has := slices.Contains(flags, flag)
	switch {
	case on && !has:
		flags = append(flags, flag)
	case !on && has:
		flags = slices.DeleteFunc(flags, func(f string) bool { return f == flag })
	default:
		return false, nil
	}
	if flags == nil {
		flags = []string{}
	}
	_, err = s.coll(collResponses).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "flags", Value: flags}}}})
	if err != nil {
		return false, storeErr(err, "update flags")
	}
	return true, nil
}
