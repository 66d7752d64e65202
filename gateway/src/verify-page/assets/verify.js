// The verify page: sends the presented credential to verifyPresentation, shows the answer, and saves its attestation.
import { $, graphql, rememberToken, saveFile } from '/shared/page.js';

const QUERY = `query($p: String!, $in: ID!) {
  verifyPresentation(presentation: $p, in: $in) {
    id valid failure status destination
    credential { id issuer { code name } holderName validFrom validUntil qualification { title eqfLevel } }
    recognition { outcome reason explanation measures { kind months hours level } basis { clause agreement { id title } } }
    attestation
  }
}`;
let last = null;

async function loadMunicipalities() {
  try {
    const { data } = await graphql('{ municipalities { code name } }');
    for (const m of data.municipalities) $('destination').append(new Option(`${m.name} (${m.code})`, m.code));
  } catch (e) {
    $('status').textContent = `Could not load the municipalities: ${e.message}`;
  }
}

function show(v) {
  const c = v.credential;
  const r = v.recognition;
  $('result').hidden = false;
  $('result').className = v.valid ? 'valid' : 'invalid';
  $('verdict').textContent = v.valid ? 'Valid credential' : `Not valid: ${v.failure}`;
  $('credential-status').textContent = v.status || '—';
  $('credential').textContent = c
    ? `${c.qualification.title} (EQF ${c.qualification.eqfLevel ?? '—'}), issued by ${c.issuer.name ?? c.issuer.code}${c.holderName ? ` to ${c.holderName}` : ''}`
    : '—';
  $('validity').textContent = c ? `${c.validFrom} to ${c.validUntil ?? 'no end date'}` : '—';
  $('recognition').textContent = r ? `${r.outcome}${r.reason ? ` (${r.reason})` : ''}` : '—';
  $('measures').textContent = r?.measures.length
    ? r.measures
        .map((m) =>
          [m.kind, m.months && `${m.months} months`, m.hours && `${m.hours} h`, m.level]
            .filter(Boolean)
            .join(' '),
        )
        .join('; ')
    : 'none';
  $('basis').textContent = r?.basis
    ? `${r.basis.agreement ? `${r.basis.agreement.id} ${r.basis.agreement.title}, ` : ''}clause ${r.basis.clause}`
    : '—';
  $('explanation').textContent = r?.explanation ?? '';
  $('save').disabled = !v.attestation;
  $('attestation-note').textContent = v.attestation
    ? 'Signed by the region and countersigned by its registry; check it any time with npm run verify-attestation.'
    : 'Nothing is attested for a credential that did not verify.';
}

$('form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('status').textContent = 'Checking…';
  try {
    const { data } = await graphql(QUERY, { p: $('presentation').value.trim(), in: $('destination').value });
    last = data.verifyPresentation;
    show(last);
    $('status').textContent = '';
  } catch (e) {
    $('status').textContent = `The check failed: ${e.message}`;
  }
});

// The attestation exactly as the API gave it: one changed byte and it no longer checks.
$('save').addEventListener('click', () => {
  if (last?.attestation) saveFile(last.attestation, 'application/jose', `attestation-${last.id}.jws`);
});

const drop = $('drop');
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', async (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const file = e.dataTransfer.files[0];
  if (file) $('presentation').value = (await file.text()).trim();
});

rememberToken();
loadMunicipalities();
