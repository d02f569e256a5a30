/**
 * The browser side of GraphiQL: bundled by build.ts (esbuild) into dist/graphiql/app.js and
 * app.css, which serve.ts serves from devicegraph's own origin. Nothing here loads from elsewhere.
 */
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createElement, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'graphiql/style.css';
import './page.css';
import { EXAMPLE_QUERY } from './example-query.js';

const container = document.getElementById('graphiql');
if (!container) throw new Error('The GraphiQL page has no #graphiql element.');

// Same origin as the page (serve.ts answers a browser's GET on the endpoint with this page).
const fetcher = createGraphiQLFetcher({ url: '/graphql' });

createRoot(container).render(
  createElement(StrictMode, null, createElement(GraphiQL, { fetcher, defaultQuery: EXAMPLE_QUERY })),
);
