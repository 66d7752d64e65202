// What the gateway's pages share: element lookup, the caller's token kept in the browser, GraphQL
// calls to the gateway, and saving a text as a file.
const TOKEN_KEY = 'crossgate.token';

export const $ = (id) => document.getElementById(id);

/** POSTs one GraphQL request with the caller's token; the whole answer, or an error when it has no data. */
export async function graphql(query, variables) {
  const headers = { 'content-type': 'application/json' };
  const token = $('token')?.value.trim() || localStorage.getItem(TOKEN_KEY);
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch('/graphql', {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (!body.data)
    throw new Error((body.errors || []).map((e) => e.message).join('; ') || `HTTP ${res.status}`);
  return body;
}

/** Fills the page's token field from the browser and keeps what is typed there for the next visit. */
export function rememberToken() {
  $('token').value = localStorage.getItem(TOKEN_KEY) || '';
  $('token').addEventListener('change', () => localStorage.setItem(TOKEN_KEY, $('token').value.trim()));
}

/** Offers the text for download as a file of that name and media type. */
export function saveFile(text, type, name) {
  const link = Object.assign(document.createElement('a'), {
    href: URL.createObjectURL(new Blob([text], { type })),
    download: name,
  });
  link.click();
  URL.revokeObjectURL(link.href);
}
