#!/usr/bin/env node
// roster runs its TypeScript sources directly (Node's type stripping); this is the `bin` entry.
import '../src/cli.ts';
