// Event payloads as GitHub writes them to GITHUB_EVENT_PATH, with the fields the Action and
// @actions/github read (and the usual others around them, so nothing works by accident).

const repository = (owner: string, name: string, id: number) => ({
  id,
  node_id: 'R_kgDOExample',
  name,
  full_name: `${owner}/${name}`,
  private: false,
  owner: { login: owner, id: 9919, type: 'Organization' },
  html_url: `https://github.com/${owner}/${name}`,
  default_branch: 'main',
});

/** A `pull_request` event (`synchronize`: a push to the PR's branch); `fork` puts the head in another repository. */
export function pullRequestEvent(options: { owner: string; repo: string; number: number; fork?: boolean }) {
  const base = repository(options.owner, options.repo, 740000001);
  const head = options.fork ? repository('contributor', options.repo, 740000002) : base;
  return {
    action: 'synchronize',
    number: options.number,
    before: '6dcb09b5b57875f334f61aebed695e2e4193db5e',
    after: 'c7d2b7f4a1e9b0f2d5c6e3a8b9f0a1b2c3d4e5f6',
    pull_request: {
      url: `https://api.github.com/repos/${options.owner}/${options.repo}/pulls/${options.number}`,
      id: 2145011223,
      number: options.number,
      state: 'open',
      title: 'Make the booking agent confirm the party size',
      user: { login: options.fork ? 'contributor' : 'octocat', id: 583231, type: 'User' },
      draft: false,
      head: {
        label: `${head.owner.login}:confirm-party-size`,
        ref: 'confirm-party-size',
        sha: 'c7d2b7f4a1e9b0f2d5c6e3a8b9f0a1b2c3d4e5f6',
        repo: head,
      },
      base: {
        label: `${options.owner}:main`,
        ref: 'main',
        sha: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b',
        repo: base,
      },
      author_association: options.fork ? 'CONTRIBUTOR' : 'MEMBER',
    },
    repository: base,
    sender: { login: options.fork ? 'contributor' : 'octocat', id: 583231, type: 'User' },
  };
}

/** A `push` event to main: there is no pull request to comment on. */
export function pushEvent(options: { owner: string; repo: string }) {
  return {
    ref: 'refs/heads/main',
    before: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b',
    after: 'c7d2b7f4a1e9b0f2d5c6e3a8b9f0a1b2c3d4e5f6',
    repository: repository(options.owner, options.repo, 740000001),
    pusher: { name: 'octocat', email: 'octocat@users.noreply.github.com' },
    sender: { login: 'octocat', id: 583231, type: 'User' },
  };
}
