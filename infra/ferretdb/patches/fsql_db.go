// Copyright 2021 FerretDB Inc.
// Modified by lombardy-match (infra/ferretdb.sh): a writer slot per database (`writes`);
// statements are logged only when debug logging is on (debugSQL); the write-ahead log is
// checkpointed in the background (checkpointLoop).
//
// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at
//
//     http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS,
// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
// See the License for the specific language governing permissions and
// limitations under the License.

// Package fsql provides [database/sql] utilities.
package fsql

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/FerretDB/FerretDB/internal/util/lazyerrors"
	"github.com/FerretDB/FerretDB/internal/util/logging"
	"github.com/FerretDB/FerretDB/internal/util/resource"
)

// DB wraps [*database/sql.DB] with tracing, metrics, logging, and resource tracking.
//
// It exposes the subset of *sql.DB methods we use except that it returns *Rows instead of *sql.Rows.
// It also exposes additional methods.
type DB struct {
	*metricsCollector

	sqlDB     *sql.DB
	l         *slog.Logger
	token     *resource.Token
	BatchSize int

	// writes is this database's one writer slot (lombardy-match patch, see infra/ferretdb.sh):
	// SQLite has one writer per database file, and a writer that finds it taken sleeps in the
	// busy handler by 1, 2, 5, 10 … 100 ms steps whatever the holder still needs, so under
	// concurrent writes the waiting, not the writing, made the tail. Writers wait here instead,
	// in order, woken the moment the slot is free. Reads (QueryContext) do not take it: WAL
	// readers never wait for the writer.
	writes chan struct{}

	// written says a write committed since the last checkpoint; stop ends checkpointLoop
	// (lombardy-match patch, see checkpointLoop).
	written  atomic.Bool
	stop     chan struct{}
	stopOnce sync.Once
}

// WrapDB creates a new DB.
//
// Name is used for metric label values, etc.
// Logger (that will be named) is used for query logging.
func WrapDB(db *sql.DB, name string, l *slog.Logger) *DB {
	if db == nil {
		return nil
	}

	res := &DB{
		metricsCollector: newMetricsCollector(name, db.Stats),
		sqlDB:            db,
		l:                logging.WithName(l, name),
		token:            resource.NewToken(),
		writes:           make(chan struct{}, 1),
		stop:             make(chan struct{}),
	}

	resource.Track(res, res.token)

	go res.checkpointLoop()

	return res
}

// Close calls [*sql.DB.Close].
func (db *DB) Close() error {
	resource.Untrack(db, db.token)
	db.stopOnce.Do(func() { close(db.stop) })
	return db.sqlDB.Close()
}

// Ping calls [*sql.DB.Ping].
func (db *DB) Ping(ctx context.Context) error {
	return db.sqlDB.Ping()
}

// QueryContext calls [*sql.DB.QueryContext].
func (db *DB) QueryContext(ctx context.Context, query string, args ...any) (*Rows, error) {
	start := time.Now()

	fields := []any{slog.Any("args", args)}
	debugSQL(ctx, db.l, ">>>", query, fields)

	rows, err := db.sqlDB.QueryContext(ctx, query, args...)

	fields = append(fields, slog.Duration("time", time.Since(start)), logging.Error(err))
	debugSQL(ctx, db.l, "<<<", query, fields)

	return wrapRows(rows), err
}

// QueryRowContext calls [*sql.DB.QueryRowContext].
func (db *DB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	start := time.Now()

	fields := []any{slog.Any("args", args)}
	debugSQL(ctx, db.l, ">>>", query, fields)

	row := db.sqlDB.QueryRowContext(ctx, query, args...)

	fields = append(fields, slog.Duration("time", time.Since(start)), logging.Error(row.Err()))
	debugSQL(ctx, db.l, "<<<", query, fields)

	return row
}

// lockWrites waits for the database's writer slot (or for ctx); the returned func gives it back.
func (db *DB) lockWrites(ctx context.Context) (func(), error) {
	select {
	case db.writes <- struct{}{}:
		return func() {
			db.written.Store(true)
			<-db.writes
		}, nil
	case <-ctx.Done():
		return nil, lazyerrors.Error(ctx.Err())
	}
}

// ExecContext calls [*sql.DB.ExecContext] holding the writer slot (the SQLite backend sends
// only writes through it: DELETE, DDL, ANALYZE, VACUUM).
func (db *DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	unlock, err := db.lockWrites(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()

	start := time.Now()

	fields := []any{slog.Any("args", args)}
	debugSQL(ctx, db.l, ">>>", query, fields)

	res, err := db.sqlDB.ExecContext(ctx, query, args...)

	if res != nil {
		ra, _ := res.RowsAffected()
		fields = append(fields, slog.Int64("rows", ra))
	}

	fields = append(fields, slog.Duration("time", time.Since(start)), logging.Error(err))
	debugSQL(ctx, db.l, "<<<", query, fields)

	return res, err
}

// InTransaction wraps the given function f in a transaction.
//
// If f returns an error or context is canceled, the transaction is rolled back.
func (db *DB) InTransaction(ctx context.Context, f func(*Tx) error) (err error) {
	// Every transaction the SQLite backend opens writes (inserts, updates): it holds the writer slot.
	var unlock func()
	if unlock, err = db.lockWrites(ctx); err != nil {
		return
	}
	defer unlock()

	var sqlTx *sql.Tx

	if sqlTx, err = db.sqlDB.BeginTx(ctx, nil); err != nil {
		err = lazyerrors.Error(err)
		return
	}

	tx := wrapTx(sqlTx, db.l)

	var done bool

	defer func() {
		// It is not enough to check `err == nil` there,
		// because in tests `f` could contain testify/require.XXX or `testing.TB.FailNow()` calls
		// that call `runtime.Goexit()`, leaving `err` unset in `err = f(tx)` below.
		// This situation would hang a test.
		//
		// As a bonus, checking a separate variable also handles any panics in `f`,
		// including `panic(nil)` that is problematic for tests too.
		if done {
			return
		}

		if err == nil {
			err = lazyerrors.Errorf("transaction was not committed")
		}

		_ = tx.Rollback()
	}()

	if err = f(tx); err != nil {
		// do not wrap f's error because the caller depends on it in some cases
		return
	}

	if err = tx.Commit(); err != nil {
		err = lazyerrors.Error(err)
		return
	}

	done = true

	return
}

// check interfaces
var (
	_ prometheus.Collector = (*DB)(nil)
)

// debugSQL logs a statement at debug level (lombardy-match patch, see infra/ferretdb.sh). The
// original called l.With(fields...).DebugContext(...) around every statement: With formats the
// arguments (whole JSON documents) even when debug is off, about 4 % of the server's CPU under
// the profiles bench (perf, session 13).
func debugSQL(ctx context.Context, l *slog.Logger, dir, query string, fields []any) {
	if !l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	l.With(fields...).DebugContext(ctx, fmt.Sprintf("%s %s", dir, query))
}

// checkpointInterval is how often checkpointLoop copies the write-ahead log into the database.
const checkpointInterval = 500 * time.Millisecond

// checkpointLoop checkpoints the write-ahead log in the background (lombardy-match patch, see
// infra/ferretdb.sh). SQLite's automatic checkpoint runs inside the commit that crosses 1,000 WAL
// pages, holding the database's one writer slot while it copies pages and syncs the file (with
// synchronous=normal the only sync): a quarter of an update's CPU in a loop of updates, and every
// queued writer of that database waited for it. The server opens its databases with
// wal_autocheckpoint(0) (main.go), and a PASSIVE checkpoint here runs beside the writers, twice
// a second when something was written.
func (db *DB) checkpointLoop() {
	t := time.NewTicker(checkpointInterval)
	defer t.Stop()

	for {
		select {
		case <-db.stop:
			return
		case <-t.C:
		}

		if !db.written.Swap(false) {
			continue
		}

		if _, err := db.sqlDB.ExecContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)"); err != nil {
			db.l.Warn("background WAL checkpoint failed", logging.Error(err))
		}
	}
}
