// Command ferretdb-local runs FerretDB v1.24.2 (SQLite backend) on loopback for
// Meridian's local infrastructure (tools/infra/infra.sh).
//
// It embeds FerretDB's public package github.com/FerretDB/FerretDB/ferretdb
// instead of building cmd/ferretdb, whose module zip lacks
// build/version/version.txt (FerretDB issue 2982): that version check only runs
// when FerretDB itself is the main module.
//
// Usage:
//
//	ferretdb-local -listen-addr 127.0.0.1:27017 -sqlite-url file:/abs/dir/ [-log-level warn]
//	ferretdb-local -ping 127.0.0.1:27017   # exit 0 if a MongoDB wire "ping" succeeds
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "MongoDB wire listen address (host:port)")
	sqliteURL := flag.String("sqlite-url", "", "SQLite URL of an existing directory, e.g. file:/abs/dir/")
	logLevel := flag.String("log-level", "warn", "log level: debug, info, warn, error")
	ping := flag.String("ping", "", "instead of serving, send a MongoDB wire ping to this host:port and exit")
	flag.Parse()

	if *ping != "" {
		if err := doPing(*ping); err != nil {
			fmt.Fprintln(os.Stderr, "ping failed:", err)
			os.Exit(1)
		}
		fmt.Println("ok")
		return
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fatal("bad -log-level: %s", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(logger)

	if *sqliteURL == "" {
		fatal("-sqlite-url is required")
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: *sqliteURL,
	})
	if err != nil {
		fatal("%s", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	logger.Warn("ferretdb starting", "listen", *listen, "sqlite", *sqliteURL)
	if err := f.Run(ctx); err != nil {
		fatal("%s", err)
	}
	logger.Warn("ferretdb stopped")
}

func doPing(addr string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	opts := options.Client().
		ApplyURI("mongodb://" + addr + "/?directConnection=true").
		SetServerSelectionTimeout(4 * time.Second).
		SetConnectTimeout(4 * time.Second)

	client, err := mongo.Connect(ctx, opts)
	if err != nil {
		return err
	}
	defer client.Disconnect(context.Background())

	return client.Database("admin").RunCommand(ctx, bson.D{{Key: "ping", Value: 1}}).Err()
}

func fatal(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ferretdb-local: "+format+"\n", args...)
	os.Exit(1)
}
