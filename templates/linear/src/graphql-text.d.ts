/** Bun imports .graphql files as text (`with { type: 'text' }`), so the bundle inlines the schema. */
declare module '*.graphql' {
  const text: string;
  export default text;
}
