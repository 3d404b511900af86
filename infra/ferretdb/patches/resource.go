// Copyright 2021 FerretDB Inc.
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

// Modified by lombardy-match (infra/ferretdb.sh): lifetimes are not tracked.
//
// The original Track adds every transaction, iterator and document iterator to a pprof profile
// with the stack that created it, and sets a finalizer that panics the server if the object is
// collected without Untrack: a leak detector for FerretDB's own tests. Capturing those stacks
// took about 11 % of the server's CPU under the profiles bench (perf, session 13).

// Package resource provides utilities for tracking resource lifetimes (here: none).
package resource

// Token should be a field of a tracked object.
//
// The underlying type is not struct{} because (from the Go spec)
// "Two distinct zero-size variables may have the same address in memory",
// and they do.
type Token byte

// NewToken returns a new Token.
func NewToken() *Token {
	return new(Token)
}

// Track would track the lifetime of obj until Untrack; it does nothing in this build.
func Track(obj any, token *Token) {}

// Untrack would stop tracking the lifetime of obj; it does nothing in this build.
func Untrack(obj any, token *Token) {}
