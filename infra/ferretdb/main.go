// Command ferretdb-embedded runs FerretDB (MongoDB wire protocol) with the SQLite
// backend, for local development and tests. It embeds the FerretDB library because
// `go install .../cmd/ferretdb` from the module zip panics at start (the generated
// build/version/version.txt is not part of the published module).
//
// Usage:
//
//	ferretdb-embedded [-listen 127.0.0.1:27017] [-data-dir .data/ferretdb/data] [-log-level info] [-synchronous normal]
//	ferretdb-embedded -check [-listen 127.0.0.1:27017] [-timeout 2s]
//
// Flags default to the env vars FERRETDB_LISTEN, FERRETDB_DATA_DIR, FERRETDB_LOG_LEVEL,
// FERRETDB_SYNCHRONOUS.
// -check sends a MongoDB `ping` over OP_MSG and exits 0 when the reply has ok: 1.
package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func main() {
	listen := flag.String("listen", envOr("FERRETDB_LISTEN", "127.0.0.1:27017"), "TCP address to listen on (env FERRETDB_LISTEN)")
	dataDir := flag.String("data-dir", envOr("FERRETDB_DATA_DIR", "data"), "SQLite data directory, created if missing (env FERRETDB_DATA_DIR)")
	logLevel := flag.String("log-level", envOr("FERRETDB_LOG_LEVEL", "info"), "debug, info, warn or error (env FERRETDB_LOG_LEVEL)")
	// SQLite's default, full, syncs the write-ahead log on every commit. normal syncs it at
	// checkpoints: a commit survives a crash of this process, and only an OS crash or power loss
	// can undo the last ones — the guarantee of MongoDB's default write concern (w: 1, journal
	// flushed every 100 ms). With one writer per database file the sync was a large part of each
	// write's turn, so every queued writer waited for it (NOTES.md, session 12).
	synchronous := flag.String("synchronous", envOr("FERRETDB_SYNCHRONOUS", "normal"), "SQLite synchronous pragma: normal or full (env FERRETDB_SYNCHRONOUS)")
	check := flag.Bool("check", false, "health check: ping the server at -listen and exit 0 if it answers ok")
	timeout := flag.Duration("timeout", 2*time.Second, "timeout for -check")
	flag.Parse()

	if *check {
		if err := ping(*listen, *timeout); err != nil {
			fmt.Fprintf(os.Stderr, "ping %s: %v\n", *listen, err)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, "ping %s: ok\n", *listen)
		return
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "invalid -log-level %q: %v\n", *logLevel, err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(logger)

	if *synchronous != "normal" && *synchronous != "full" {
		fmt.Fprintf(os.Stderr, "invalid -synchronous %q: normal or full\n", *synchronous)
		os.Exit(2)
	}

	if err := run(logger, *listen, *dataDir, *synchronous); err != nil {
		logger.Error("ferretdb failed", "error", err)
		os.Exit(1)
	}
}

func run(logger *slog.Logger, listen, dataDir, synchronous string) error {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	if err = os.MkdirAll(abs, 0o755); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}

	// The SQLite handler wants a directory URI that ends with a slash.
	sqliteURL := "file:" + (&url.URL{Path: abs + "/"}).EscapedPath() + "?_pragma=synchronous(" + synchronous + ")" +
		// Checkpoints run in the background, not inside the commit that crosses 1,000 pages
		// (fsql checkpointLoop, infra/ferretdb/patches/fsql_db.go).
		"&_pragma=wal_autocheckpoint(0)"

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		return err
	}

	go func() {
		<-ctx.Done()
		logger.Info("shutdown signal received, stopping")
		stop() // a second signal kills the process the default way
	}()

	logger.Info("ferretdb-embedded ready", "uri", f.MongoDBURI(), "sqlite", sqliteURL, "pid", os.Getpid())

	if err = f.Run(ctx); err != nil {
		return err
	}
	logger.Info("ferretdb-embedded stopped")
	return nil
}

// ping sends {ping: 1, $db: "admin"} as an OP_MSG and checks that the reply has ok == 1.
func ping(addr string, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(timeout))

	// BSON document {ping: int32(1), $db: "admin"}.
	var doc bytes.Buffer
	doc.WriteByte(0x10) // int32
	doc.WriteString("ping\x00")
	_ = binary.Write(&doc, binary.LittleEndian, int32(1))
	doc.WriteByte(0x02) // string
	doc.WriteString("$db\x00")
	_ = binary.Write(&doc, binary.LittleEndian, int32(len("admin")+1))
	doc.WriteString("admin\x00")
	doc.WriteByte(0x00)
	body := make([]byte, 4, 4+doc.Len())
	binary.LittleEndian.PutUint32(body, uint32(4+doc.Len()))
	body = append(body, doc.Bytes()...)

	// OP_MSG: header(16) + flagBits(4) + section kind 0 (1) + document.
	const opMsg = 2013
	msgLen := 16 + 4 + 1 + len(body)
	msg := make([]byte, 0, msgLen)
	msg = binary.LittleEndian.AppendUint32(msg, uint32(msgLen))
	msg = binary.LittleEndian.AppendUint32(msg, 1) // requestID
	msg = binary.LittleEndian.AppendUint32(msg, 0) // responseTo
	msg = binary.LittleEndian.AppendUint32(msg, opMsg)
	msg = binary.LittleEndian.AppendUint32(msg, 0) // flagBits
	msg = append(msg, 0)                           // section kind 0: body
	msg = append(msg, body...)
	if _, err = conn.Write(msg); err != nil {
		return err
	}

	header := make([]byte, 16)
	if _, err = io.ReadFull(conn, header); err != nil {
		return fmt.Errorf("read reply header: %w", err)
	}
	replyLen := int(binary.LittleEndian.Uint32(header[0:4]))
	if replyLen < 16+4+1+5 || replyLen > 16<<20 {
		return fmt.Errorf("bad reply length %d", replyLen)
	}
	if op := binary.LittleEndian.Uint32(header[12:16]); op != opMsg {
		return fmt.Errorf("unexpected reply opcode %d", op)
	}
	rest := make([]byte, replyLen-16)
	if _, err = io.ReadFull(conn, rest); err != nil {
		return fmt.Errorf("read reply: %w", err)
	}
	if rest[4] != 0 {
		return fmt.Errorf("unexpected reply section kind %d", rest[4])
	}
	return checkOK(rest[5:])
}

// checkOK walks the top-level elements of a BSON document looking for a numeric ok == 1.
func checkOK(d []byte) error {
	if len(d) < 5 {
		return errors.New("short reply document")
	}
	end := int(binary.LittleEndian.Uint32(d[0:4]))
	if end > len(d) {
		return errors.New("truncated reply document")
	}
	i := 4
	for i < end-1 {
		typ := d[i]
		i++
		nul := bytes.IndexByte(d[i:end], 0)
		if nul < 0 {
			return errors.New("malformed reply document")
		}
		name := string(d[i : i+nul])
		i += nul + 1
		var size int
		switch typ {
		case 0x01: // double
			if name == "ok" {
				if math.Float64frombits(binary.LittleEndian.Uint64(d[i:])) == 1 {
					return nil
				}
				return errors.New("reply ok != 1")
			}
			size = 8
		case 0x10: // int32
			if name == "ok" {
				if int32(binary.LittleEndian.Uint32(d[i:])) == 1 {
					return nil
				}
				return errors.New("reply ok != 1")
			}
			size = 4
		case 0x12, 0x09, 0x11: // int64, datetime, timestamp
			size = 8
		case 0x08: // bool
			size = 1
		case 0x0A: // null
			size = 0
		case 0x02: // string
			size = 4 + int(binary.LittleEndian.Uint32(d[i:]))
		case 0x03, 0x04: // document, array
			size = int(binary.LittleEndian.Uint32(d[i:]))
		case 0x05: // binary
			size = 4 + 1 + int(binary.LittleEndian.Uint32(d[i:]))
		case 0x07: // ObjectId
			size = 12
		default:
			return fmt.Errorf("reply has unsupported BSON type 0x%02x before ok", typ)
		}
		i += size
	}
	return errors.New("reply has no ok field")
}
