package store

import "context"

// ExecForTest runs a statement on s's database, for tests that set up
// what no method makes.
func ExecForTest(ctx context.Context, s Store, stmt string) error {
	var db *sqlStore
	switch v := s.(type) {
	case *sqlStore:
		db = v
	case *postgresStore:
		db = v.sqlStore
	}
	_, err := db.db.ExecContext(ctx, stmt)
	return err
}
