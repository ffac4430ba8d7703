module.exports = eval("require")("../../node_modules/@echogarden/svoxpico-wasm/svoxpico.js");
