package mongostore

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/primitive"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/sipas/sipas/surveys"
)

// ms truncates t to what a BSON date holds, in UTC.
func ms(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// fromDate is a stored time back; the zero time stays zero.
func fromDate(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

type userDoc struct {
	Name              string    `bson:"_id"`
	DisplayName       string    `bson:"display_name"`
	Role              string    `bson:"role"`
	PasswordHash      string    `bson:"password_hash"`
	Disabled          bool      `bson:"disabled"`
	CreatedAt         time.Time `bson:"created_at"`
	PasswordChangedAt time.Time `bson:"password_changed_at"`
}

func toUserDoc(u surveys.User) userDoc {
	return userDoc{Name: u.Name, DisplayName: u.DisplayName, Role: string(u.Role), PasswordHash: u.PasswordHash,
		Disabled: u.Disabled, CreatedAt: ms(u.CreatedAt), PasswordChangedAt: ms(u.PasswordChangedAt)}
}

func toUser(d userDoc) surveys.User {
	return surveys.User{Name: d.Name, DisplayName: d.DisplayName, Role: surveys.Role(d.Role), PasswordHash: d.PasswordHash,
		Disabled: d.Disabled, CreatedAt: fromDate(d.CreatedAt), PasswordChangedAt: fromDate(d.PasswordChangedAt)}
}

// PutUser creates or replaces the user named u.Name.
func (s *Store) PutUser(ctx context.Context, u surveys.User) error {
	if u.Name == "" {
		return surveys.Errorf(surveys.EINVALID, "a user has no name")
	}
	_, err := s.coll(collUsers).ReplaceOne(ctx, idFilter(u.Name), toUserDoc(u), upsert())
	return storeErr(err, "put user")
}

// User returns the user named name, or an ENOTFOUND error.
func (s *Store) User(ctx context.Context, name string) (surveys.User, error) {
	var d userDoc
	if err := s.findOne(ctx, collUsers, idFilter(name), &d, "no such user"); err != nil {
		return surveys.User{}, err
	}
	return toUser(d), nil
}

// Users returns every user, by name.
func (s *Store) Users(ctx context.Context) ([]surveys.User, error) {
	var docs []userDoc
	if err := s.findAll(ctx, collUsers, bson.D{}, byCode(), &docs); err != nil {
		return nil, err
	}
	out := make([]surveys.User, len(docs))
	for i, d := range docs {
		out[i] = toUser(d)
	}
	return out, nil
}

// findOne decodes the one document of coll matching filter into out; none
// is an ENOTFOUND error saying notFound.
func (s *Store) findOne(ctx context.Context, coll string, filter bson.D, out any, notFound string) error {
	err := s.coll(coll).FindOne(ctx, filter).Decode(out)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return surveys.Wrap(surveys.ENOTFOUND, err, notFound)
	}
	return storeErr(err, "find "+coll)
}

type sessionDoc struct {
	ID        string    `bson:"_id"`
	User      string    `bson:"user"`
	CSRF      string    `bson:"csrf"`
	CreatedAt time.Time `bson:"created_at"`
	SeenAt    time.Time `bson:"seen_at"`
	ExpiresAt time.Time `bson:"expires_at"`
}

// PutSession creates or replaces the session with se.ID.
func (s *Store) PutSession(ctx context.Context, se surveys.Session) error {
	if se.ID == "" {
		return surveys.Errorf(surveys.EINVALID, "a session has no id")
	}
	d := sessionDoc{ID: se.ID, User: se.User, CSRF: se.CSRF, CreatedAt: ms(se.CreatedAt), SeenAt: ms(se.SeenAt), ExpiresAt: ms(se.ExpiresAt)}
	_, err := s.coll(collSessions).ReplaceOne(ctx, idFilter(se.ID), d, upsert())
	return storeErr(err, "put session")
}

// Session returns the session with id, or an ENOTFOUND error; it does not
// check expiry.
func (s *Store) Session(ctx context.Context, id string) (surveys.Session, error) {
	var d sessionDoc
	if err := s.findOne(ctx, collSessions, idFilter(id), &d, "no such session"); err != nil {
		return surveys.Session{}, err
	}
	return surveys.Session{ID: d.ID, User: d.User, CSRF: d.CSRF,
		CreatedAt: fromDate(d.CreatedAt), SeenAt: fromDate(d.SeenAt), ExpiresAt: fromDate(d.ExpiresAt)}, nil
}

// DeleteSession removes the session with id; an absent one is no error.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	_, err := s.coll(collSessions).DeleteOne(ctx, idFilter(id))
	return storeErr(err, "delete session")
}

// DeleteUserSessions removes every session of user and returns how many.
func (s *Store) DeleteUserSessions(ctx context.Context, user string) (int, error) {
	res, err := s.coll(collSessions).DeleteMany(ctx, bson.D{{Key: "user", Value: user}})
	if err != nil {
		return 0, storeErr(err, "delete sessions")
	}
	return int(res.DeletedCount), nil
}

type auditDoc struct {
	ID     primitive.ObjectID `bson:"_id"` // time-ordered within one server
	At     time.Time          `bson:"at"`
	Actor  string             `bson:"actor"`
	Action string             `bson:"action"`
	Target string             `bson:"target"`
	Detail string             `bson:"detail"`
}

// AppendAudit records e. The audit log is append-only: nothing edits or
// deletes its entries.
func (s *Store) AppendAudit(ctx context.Context, e surveys.AuditEntry) error {
	at := e.At
	if at.IsZero() {
		at = time.Now()
	}
	d := auditDoc{ID: primitive.NewObjectID(), At: ms(at), Actor: e.Actor, Action: e.Action, Target: e.Target, Detail: e.Detail}
	_, err := s.coll(collAudit).InsertOne(ctx, d)
	return storeErr(err, "append audit entry")
}

// defaultAuditLimit is the page size of Audit when limit is not positive.
const defaultAuditLimit = 100

// Audit returns up to limit entries older than before (the zero time: the
// newest), newest first. A limit below 1 means defaultAuditLimit.
func (s *Store) Audit(ctx context.Context, before time.Time, limit int) ([]surveys.AuditEntry, error) {
	if limit < 1 {
		limit = defaultAuditLimit
	}
	filter := bson.D{}
	if !before.IsZero() {
		// Stored times are whole milliseconds: an entry in before's
		// millisecond but earlier than before must still be found.
		b := ms(before)
		if b.Before(before) {
			b = b.Add(time.Millisecond)
		}
		filter = bson.D{{Key: "at", Value: bson.D{{Key: "$lt", Value: b}}}}
	}
	opts := options.Find().SetSort(bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}).SetLimit(int64(limit))
	var docs []auditDoc
	if err := s.findAll(ctx, collAudit, filter, opts, &docs); err != nil {
		return nil, err
	}
	out := make([]surveys.AuditEntry, len(docs))
	for i, d := range docs {
		out[i] = surveys.AuditEntry{At: d.At.UTC(), Actor: d.Actor, Action: d.Action, Target: d.Target, Detail: d.Detail}
	}
	return out, nil
}
