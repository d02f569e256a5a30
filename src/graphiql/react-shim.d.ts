/**
 * The small part of React and React DOM that the GraphiQL page uses. The project installs React
 * only to bundle GraphiQL for the browser and has no `@types/react`; these declarations keep
 * `npm run typecheck` strict over src/graphiql/app.ts. Remove this file if @types/react is added.
 */
declare module 'react' {
  export interface ReactElement {
    readonly __reactElement: unique symbol;
  }
  export function createElement(type: unknown, props?: Record<string, unknown> | null, ...children: unknown[]): ReactElement;
  export const StrictMode: unknown;
}

declare module 'react-dom/client' {
  import type { ReactElement } from 'react';
  export interface Root {
    render(element: ReactElement): void;
    unmount(): void;
  }
  export function createRoot(container: Element): Root;
}
