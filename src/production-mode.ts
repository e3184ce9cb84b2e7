/**
 * The entry point's first import, so that it runs before graphql-js loads: graphql-js reads
 * NODE_ENV once, as it loads. Unless NODE_ENV is "production", each of its type tests that fails
 * (is this a list type? a non-null one?) goes on to look for a second copy of graphql-js, which
 * took about 4% of a timeline page's CPU in a profile. The server runs in production mode unless
 * NODE_ENV says otherwise; NODE_ENV=development keeps graphql-js's checks.
 */
process.env.NODE_ENV ??= 'production';
