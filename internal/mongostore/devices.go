package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/sipas/sipas/surveys"
)

type deviceDoc struct {
	ID          string    `bson:"_id"`
	Name        string    `bson:"name"`
	Counter     string    `bson:"counter"`
	EnrolHash   string    `bson:"enrol_hash"`
	EnrolExpiry time.Time `bson:"enrol_expiry"`
	TokenHash   string    `bson:"token_hash"`
	CreatedAt   time.Time `bson:"created_at"`
	EnrolledAt  time.Time `bson:"enrolled_at"`
	LastSeen    time.Time `bson:"last_seen"`
	Revoked     bool      `bson:"revoked"`
}

func toDeviceDoc(d surveys.Device) deviceDoc {
	return deviceDoc{ID: d.ID, Name: d.Name, Counter: d.Counter, EnrolHash: d.EnrolHash, EnrolExpiry: ms(d.EnrolExpiry),
		TokenHash: d.TokenHash, CreatedAt: ms(d.CreatedAt), EnrolledAt: ms(d.EnrolledAt), LastSeen: ms(d.LastSeen), Revoked: d.Revoked}
}

func toDevice(d deviceDoc) surveys.Device {
	return surveys.Device{ID: d.ID, Name: d.Name, Counter: d.Counter, EnrolHash: d.EnrolHash, EnrolExpiry: fromDate(d.EnrolExpiry),
		TokenHash: d.TokenHash, CreatedAt: fromDate(d.CreatedAt), EnrolledAt: fromDate(d.EnrolledAt),
		LastSeen: fromDate(d.LastSeen), Revoked: d.Revoked}
}

// PutDevice creates or replaces the tablet with d.ID. Unlike the SQLite
// store it does not refuse a hash another tablet holds (see migration
// 4); the hashes are of random secrets.
func (s *Store) PutDevice(ctx context.Context, d surveys.Device) error {
	if d.ID == "" {
		return surveys.Errorf(surveys.EINVALID, "a tablet has no id")
	}
	_, err := s.coll(collDevices).ReplaceOne(ctx, idFilter(d.ID), toDeviceDoc(d), upsert())
	return storeErr(err, "put tablet")
}

func (s *Store) deviceBy(ctx context.Context, field, value string) (surveys.Device, error) {
	if value == "" { // an unset hash matches no tablet
		return surveys.Device{}, surveys.Errorf(surveys.ENOTFOUND, "no such tablet")
	}
	var d deviceDoc
	if err := s.findOne(ctx, collDevices, bson.D{{Key: field, Value: value}}, &d, "no such tablet"); err != nil {
		return surveys.Device{}, err
	}
	return toDevice(d), nil
}

// Device returns the tablet with id, or an ENOTFOUND error.
func (s *Store) Device(ctx context.Context, id string) (surveys.Device, error) {
	return s.deviceBy(ctx, "_id", id)
}

// DeviceByToken returns the tablet whose token hashes to tokenHash, or an
// ENOTFOUND error.
func (s *Store) DeviceByToken(ctx context.Context, tokenHash string) (surveys.Device, error) {
	return s.deviceBy(ctx, "token_hash", tokenHash)
}

// DeviceByEnrolHash returns the tablet whose enrolment code hashes to
// enrolHash, or an ENOTFOUND error.
func (s *Store) DeviceByEnrolHash(ctx context.Context, enrolHash string) (surveys.Device, error) {
	return s.deviceBy(ctx, "enrol_hash", enrolHash)
}

// Devices returns every tablet by counter, then name, then id.
func (s *Store) Devices(ctx context.Context) ([]surveys.Device, error) {
	var docs []deviceDoc
	opts := options.Find().SetSort(bson.D{{Key: "counter", Value: 1}, {Key: "name", Value: 1}, {Key: "_id", Value: 1}})
	if err := s.findAll(ctx, collDevices, bson.D{}, opts, &docs); err != nil {
		return nil, err
	}
	out := make([]surveys.Device, len(docs))
	for i, d := range docs {
		out[i] = toDevice(d)
	}
	return out, nil
}

// TouchDevice sets the tablet's LastSeen to at; an unknown id is an
// ENOTFOUND error.
func (s *Store) TouchDevice(ctx context.Context, id string, at time.Time) error {
	res, err := s.coll(collDevices).UpdateOne(ctx, idFilter(id), bson.D{{Key: "$set", Value: bson.D{{Key: "last_seen", Value: ms(at)}}}})
	if err != nil {
		return storeErr(err, "touch tablet")
	}
	if res.MatchedCount == 0 {
		return surveys.Errorf(surveys.ENOTFOUND, "no such tablet")
	}
	return nil
}
