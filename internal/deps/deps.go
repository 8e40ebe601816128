//go:build tools

// Package deps pins the modules the project builds on until code imports them.
package deps

import (
	_ "github.com/FerretDB/FerretDB/ferretdb"
	_ "github.com/chromedp/chromedp"
	_ "github.com/go-echarts/go-echarts/v2/charts"
	_ "github.com/gofiber/fiber/v2"
	_ "github.com/google/uuid"
	_ "github.com/skip2/go-qrcode"
	_ "go.mongodb.org/mongo-driver/mongo"
	_ "modernc.org/sqlite"
)
