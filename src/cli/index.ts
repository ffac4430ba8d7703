#!/usr/bin/env node
console.log('russo');
