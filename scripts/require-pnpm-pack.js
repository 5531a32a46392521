// `prepack` of each published package: only pnpm rewrites the `workspace:^`
// ranges of sibling packages to real versions (`^0.1.0`) in the tarball; npm
// would ship `workspace:^`, which no registry install can resolve.
const agent = process.env.npm_config_user_agent ?? '';
if (!agent.startsWith('pnpm/')) {
  console.error(
    `Pack and publish credchain packages with pnpm (\`pnpm pack\`, \`pnpm changeset publish\`), not ${agent.split(' ')[0] || 'this tool'}: only pnpm replaces the workspace:^ ranges.`,
  );
  process.exit(1);
}
