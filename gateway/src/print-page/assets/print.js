// The print page: fetches credentialDocument for an officer, offers it as a file, and draws the QR code
// of that same document (either format fits one QR code; the gateway refuses a text too long for one).
import { $, graphql, rememberToken, saveFile } from '/shared/page.js';

const QUERY = `query($id: ID!, $format: CredentialFormat!) {
  credentialDocument(id: $id, format: $format) { credentialId format mediaType issuer document }
}`;
const EXTENSION = { VC_JWT: 'vc.jwt', SD_JWT_VC: 'sd-jwt' };
let file = null;

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
    const chosen = (await graphql(QUERY, { id, format })).data.credentialDocument;
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
  if (file) saveFile(file.text, file.type, file.name);
});
$('print').addEventListener('click', () => window.print());

rememberToken();
