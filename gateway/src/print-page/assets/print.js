// The print page: fetches credentialDocument for an officer, offers it as a file, and draws the QR code
// of that same document (either format fits one QR code; the gateway refuses a text too long for one).
(() => {
  const $ = (id) => document.getElementById(id);
  const QUERY = `query($id: ID!, $format: CredentialFormat!) {
    credentialDocument(id: $id, format: $format) { credentialId format mediaType issuer document }
  }`;
  const EXTENSION = { VC_JWT: 'vc.jwt', SD_JWT_VC: 'sd-jwt' };
  let file = null;

  async function graphql(query, variables) {
    const headers = { 'content-type': 'application/json' };
    const token = $('token').value.trim() || localStorage.getItem('crossgate.token');
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch('/graphql', {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
    });
    const body = await res.json();
    if (!body.data)
      throw new Error((body.errors || []).map((e) => e.message).join('; ') || `HTTP ${res.status}`);
    return body.data;
  }

  async function drawQr(text) {
    const res = await fetch('/print/qr.svg', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: text,
    });
    if (!res.ok) throw new Error(`the QR code could not be drawn (HTTP ${res.status})`);
    const svg = new DOMParser().parseFromString(await res.text(), 'image/svg+xml').documentElement;
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'QR code of the credential document');
    $('qr').replaceChildren(svg);
  }

  $('form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('status').textContent = 'Fetching…';
    $('result').hidden = true;
    const id = $('credential-id').value.trim();
    const format = $('format').value;
    try {
      const chosen = (await graphql(QUERY, { id, format })).credentialDocument;
      file = {
        name: `credential-${chosen.credentialId.replace(':', '-')}.${EXTENSION[chosen.format]}`,
        type: chosen.mediaType,
        text: chosen.document,
      };
      $('title').textContent = `Credential ${chosen.credentialId}`;
      $('issuer').textContent = chosen.issuer;
      $('file').textContent = `${file.name} (${chosen.mediaType}, ${chosen.document.length} characters)`;
      $('qr-caption').textContent =
        `${chosen.credentialId} as ${chosen.mediaType} (${chosen.document.length} characters): the same document as the file.`;
      await drawQr(chosen.document);
      $('result').hidden = false;
      $('status').textContent = '';
    } catch (e) {
      $('status').textContent = `Could not fetch the credential: ${e.message}`;
    }
  });

  $('download').addEventListener('click', () => {
    if (!file) return;
    const blob = new Blob([file.text], { type: file.type });
    const link = Object.assign(document.createElement('a'), {
      href: URL.createObjectURL(blob),
      download: file.name,
    });
    link.click();
    URL.revokeObjectURL(link.href);
  });
  $('print').addEventListener('click', () => window.print());

  $('token').value = localStorage.getItem('crossgate.token') || '';
  $('token').addEventListener('change', () =>
    localStorage.setItem('crossgate.token', $('token').value.trim()),
  );
})();
