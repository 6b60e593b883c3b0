// Preact components written with htm's tagged templates: no build step. Text and attribute values are
// always escaped by Preact; the dashboard never sets innerHTML.
import { h, render } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
export { render };
