// Checks a generated Salesforce DX project with @salesforce/source-deploy-retrieve (SDR), the
// library the Salesforce CLI deploys with. Usage: node check.mjs PROJECT_DIR
// It resolves manifest/package.xml against force-app, resolves force-app on its own, tests every
// file against .forceignore, converts both sets to metadata format in a temp folder and compares
// each converted file with its source. It prints one JSON object and exits 0 when nothing is wrong.
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";

// SDR's logger would otherwise write under ~/.sf; it must be set before SDR loads.
process.env.SF_DISABLE_LOG_FILE ??= "true";
const { ComponentSet, ForceIgnore, ManifestResolver, MetadataConverter, RegistryAccess } =
  await import("@salesforce/source-deploy-retrieve");

const project = resolve(process.argv[2] ?? ".");
const sourceDir = join(project, "force-app");
const manifestPath = join(project, "manifest", "package.xml");
const problems = [];
const components = new Map(); // "Type:fullName" -> the reported entry
const key = (type, fullName) => `${type}:${fullName}`;
const rel = (path) => relative(project, path);

function entry(type, fullName) {
  const k = key(type, fullName);
  if (!components.has(k)) {
    components.set(k, { type, fullName, fromManifest: false, fromSource: false, converted: false });
  }
  return components.get(k);
}

async function filesUnder(dir) {
  const out = [];
  for (const item of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, item.name);
    if (item.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

// Leaf elements of an XML document as "parent/child=text" lines, in order; enough for metadata
// files, which are plain elements and text (no mixed content). Entities and CDATA are kept raw.
function leaves(xml) {
  const stack = [];
  const out = [];
  let text = "";
  const body = xml.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, "");
  for (const [, close, name, selfClose, chars] of body.matchAll(
    /<(\/?)([\w:.-]+)[^>]*?(\/?)>|([^<]+)/g,
  )) {
    if (chars !== undefined) text = text === null ? null : text + chars;
    else if (selfClose) out.push(`${[...stack, name].join("/")}=`);
    else if (!close) (stack.push(name), (text = ""));
    else {
      if (text !== null) out.push(`${stack.join("/")}=${text.trim()}`);
      stack.pop();
      text = null; // a closed parent is not a leaf
    }
  }
  // Rename the root to "." so a source and a converted file compare on content only.
  return out.map((line) => line.replace(/^[^/=]+/, "."));
}

// An SDR error's message, with its "Did you mean ..." suggestions when it has any.
const sdrMessage = (error) =>
  [error.message, ...(error.actions ?? []).filter((a) => a.startsWith("-- "))].join(" ");

const registry = new RegistryAccess(undefined, project);

// a. Every package.xml member resolves to a source component under force-app.
let members = [];
let fromManifest = new ComponentSet([], registry);
try {
  members = (await new ManifestResolver(undefined, registry).resolve(manifestPath)).components;
  fromManifest = await ComponentSet.fromManifest({
    manifestPath,
    resolveSourcePaths: [sourceDir],
    registry,
  });
} catch (error) {
  problems.push(`manifest: ${sdrMessage(error)}`);
}
const manifestSources = fromManifest.getSourceComponents().toArray();
for (const member of members) entry(member.type.name, member.fullName);
for (const c of manifestSources) entry(c.type.name, c.fullName).fromManifest = true;
for (const member of members) {
  if (!entry(member.type.name, member.fullName).fromManifest) {
    problems.push(`manifest: ${member.type.name} ${member.fullName} does not resolve to source under force-app`);
  }
}

// b. force-app alone gives the same components, every file belongs to one, nothing is ignored.
const forceIgnore = ForceIgnore.findAndCreate(sourceDir);
const files = await filesUnder(sourceDir).catch((e) => (problems.push(`source: ${e.message}`), []));
const ignored = new Set(files.filter((file) => forceIgnore.denies(file)));
for (const file of ignored) problems.push(`.forceignore: ignores ${rel(file)}`);
let fromSource = new ComponentSet([], registry);
try {
  fromSource = ComponentSet.fromSource({ fsPaths: [sourceDir], registry });
  // As the CLI does: the converted package.xml then takes sfdx-project.json's sourceApiVersion
  // instead of asking appexchange.salesforce.com over the network.
  fromSource.projectDirectory = project;
} catch (error) {
  problems.push(`source: ${sdrMessage(error)}`);
}
const sourceComponents = fromSource.getSourceComponents().toArray();
const claimed = new Set();
for (const c of sourceComponents) {
  entry(c.type.name, c.fullName).fromSource = true;
  for (const path of [c.xml, ...c.walkContent()].filter(Boolean)) claimed.add(resolve(path));
  // SDR infers these types by suffix, but a retrieve writes them to the type's directoryName.
  const folder = c.xml && basename(dirname(c.xml));
  if (folder && folder !== c.type.directoryName) {
    problems.push(`layout: ${c.type.name} ${c.fullName} is in ${folder}/, SDR's folder is ${c.type.directoryName}/`);
  }
  if (!members.some((m) => key(m.type.name, m.fullName) === key(c.type.name, c.fullName))) {
    problems.push(`source: ${c.type.name} ${c.fullName} is in force-app but not in package.xml`);
  }
}
for (const member of members) {
  if (!entry(member.type.name, member.fullName).fromSource) {
    problems.push(`source: ${member.type.name} ${member.fullName} is in package.xml but force-app does not yield it`);
  }
}
for (const file of files) {
  if (!claimed.has(resolve(file)) && !ignored.has(file)) problems.push(`source: ${rel(file)} belongs to no component`);
}
for (const path of fromSource.forceIgnoredPaths ?? []) {
  problems.push(`source: SDR skipped ${rel(path)} (forceignored)`);
}

// c. Convert each set to metadata format; each component lands as DIRECTORY/NAME.SUFFIX with
// every leaf element of its source, and the generated package.xml lists it.
const temp = await mkdtemp(join(tmpdir(), "eca-sdr-"));
const convertedOk = new Map(); // key -> false once any conversion misses it
try {
  for (const [label, set, list] of [
    ["manifest", fromManifest, manifestSources],
    ["source", fromSource, sourceComponents],
  ]) {
    const outputDirectory = join(temp, label);
    try {
      await new MetadataConverter(registry).convert(set, "metadata", {
        type: "directory",
        outputDirectory,
        genUniqueDir: false,
      });
    } catch (error) {
      problems.push(`convert ${label}: ${sdrMessage(error)}`);
      list.forEach((c) => convertedOk.set(key(c.type.name, c.fullName), false));
      continue;
    }
    const where = (c) => join(c.type.directoryName, `${c.fullName}.${c.type.suffix}`);
    const listed = await new ManifestResolver(undefined, registry)
      .resolve(join(outputDirectory, "package.xml"))
      .then((m) => m.components)
      .catch((error) => (problems.push(`convert ${label}: package.xml: ${error.message}`), []));
    const packaged = new Set(listed.map((c) => key(c.type.name, c.fullName)));
    // A member the deploy's package.xml names without its file makes the Metadata API reject it.
    for (const m of listed) {
      if (!(await stat(join(outputDirectory, where(m))).catch(() => null))) {
        problems.push(`convert ${label}: package.xml names ${m.type.name} ${m.fullName} but ${where(m)} is not in the output`);
      }
    }
    for (const c of list) {
      const k = key(c.type.name, c.fullName);
      const why = [];
      if (!packaged.has(k)) why.push("missing from the converted package.xml");
      const target = join(outputDirectory, where(c));
      if (!(await stat(target).catch(() => null))) {
        const found = (await filesUnder(outputDirectory)).map((p) => relative(outputDirectory, p));
        why.push(`no ${where(c)} in the output (it has ${found.join(", ")})`);
      } else if (c.xml) {
        const before = leaves(await readFile(c.xml, "utf8"));
        const after = new Set(leaves(await readFile(target, "utf8")));
        const lost = before.filter((line) => !after.has(line));
        if (lost.length) why.push(`${where(c)} lost ${lost.map((l) => l.slice(0, 80)).join("; ")}`);
      }
      for (const reason of why) problems.push(`convert ${label}: ${c.type.name} ${c.fullName}: ${reason}`);
      convertedOk.set(k, (convertedOk.get(k) ?? true) && why.length === 0);
    }
  }
} finally {
  await rm(temp, { recursive: true, force: true });
}
for (const [k, ok] of convertedOk) components.get(k).converted = ok;

// d. One JSON object on stdout; the exit code says whether SDR found anything wrong.
const ok = problems.length === 0;
console.log(JSON.stringify({ ok, components: [...components.values()], problems }));
process.exit(ok ? 0 : 1);
