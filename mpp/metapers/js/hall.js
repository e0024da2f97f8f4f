// The 3D hall of Metapers (issue 5, item 2), built in the browser from the floor plan's scene
// JSON (mpp/metapers/scene.py). It draws exactly as scene.py's docstring says, so that the
// renderer's draw calls and triangles equal the scene's `budget`:
//   floors (1 merged mesh), walls (1 merged mesh), booths (1 instanced mesh), counters
//   (1 instanced mesh), signs (1 merged mesh over one text atlas), live badges (1 merged mesh
//   over one canvas), portal (1 box, Mini MPP only), visitor marker (1 box), highlight (1 box).
// Every mesh has frustum culling off: eight calls cost nothing, and the counts then do not
// depend on where the visitor looks.
//
// Nothing renders while the visitor is idle: a frame is drawn on input, during a glide or a
// joystick push, and when live counts change; there is no requestAnimationFrame loop otherwise.
// Bundled with esbuild (package.json "build"); import only what is used so three is tree-shaken.
import {
  BoxGeometry,
  BufferAttribute,
  BufferGeometry,
  CanvasTexture,
  Color,
  DirectionalLight,
  HemisphereLight,
  InstancedMesh,
  Matrix4,
  Mesh,
  MeshBasicMaterial,
  MeshLambertMaterial,
  PerspectiveCamera,
  Raycaster,
  Scene,
  SRGBColorSpace,
  Vector2,
  Vector3,
  WebGLRenderer,
} from "three";
// PathFinding.js's A* over a grid of the hall's floor (npm "pathfinding"): a glide to a chosen
// booth goes round the booths and desks in its way. Imported by module, not its index, so only
// the A* finder and its grid are bundled.
import AStarFinder from "pathfinding/src/finders/AStarFinder.js";
import DiagonalMovement from "pathfinding/src/core/DiagonalMovement.js";
import Grid from "pathfinding/src/core/Grid.js";

const PANEL_HEIGHT = 2.6; // booth back panel
const PANEL_THICKNESS = 0.3;
const WALL_HEIGHT = 1.1; // partitions: the whole hall stays in view over them
const WALL_THICKNESS = 0.12;
const DESK = { w: 1.2, h: 1.0, d: 0.6 };
// The camera rides a boom behind and above the visitor, shortened when a booth is in the way.
// Higher and looking further than the visitor's own eyes, so that the marker sits low on the
// screen and the centre shows where they walk (at 2.0 m, 4 m ahead, a 1 m marker covered the
// middle third of a phone's screen, issue 18 item 21).
const EYE = { back: 3, up: 2.4, ahead: 5, look: 1.3 };
const MARKER_HEIGHT = 0.45;
const SPEED = 2.6; // metres per second at full joystick
const BODY = 0.25; // half the visitor's width: how close they come to a booth or a desk
const STRIDE = 0.2; // longest single step of a move checked against booths and desks
const CELL = 0.25; // side of a square of the grid a glide's route is planned on
const SIGHT = 0.1; // spacing of the points a straight stretch of a route is checked at
const TURN = Math.PI / 4; // snap turn
const FLOOR_COLORS = { service: "#e6edf0", paten: "#efe7da", lobby: "#f4f4f1" };
// Yaw of a visitor looking at a booth that faces N/E/S/W (forward = (-sin yaw, 0, -cos yaw)).
const YAW_TO_FACE = { N: Math.PI, E: Math.PI / 2, S: 0, W: -Math.PI / 2 };
const OUTWARD = { N: [0, -1], E: [1, 0], S: [0, 1], W: [-1, 0] };

const config = JSON.parse(document.getElementById("hall-config").textContent);
const S = config.strings;
const stage = document.querySelector("[data-stage]");
const statusLine = document.querySelector("[data-status]");
const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

function fail(message) {
  statusLine.textContent = message;
  statusLine.hidden = false;
  document.body.dataset.hallState = "failed";
}

function format(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, key) => String(values[key] ?? ""));
}

// A booth without a tenant is the mall's front desk ("Loket Pelayanan"): its front counters
// serve every tenant there, so it has no booth page and no chat of its own.
function boothName(b) {
  return b.tenant ? b.tenant.short_name : S.front_desk;
}

function counterLabel(booth) {
  const numbers = booth.counters.map((c) => c.number);
  if (!numbers.length) return "";
  const first = Math.min(...numbers);
  const last = Math.max(...numbers);
  return first === last
    ? format(S.counter, { n: first })
    : format(S.counters, { first, last });
}

// ---- geometry builders -----------------------------------------------------------------

// Collects indexed triangles with normals (and optional colours or UVs) into one geometry.
class Batch {
  constructor() {
    this.positions = [];
    this.normals = [];
    this.colors = [];
    this.uvs = [];
    this.indices = [];
  }

  quad(corners, normal, color, uv) {
    const base = this.positions.length / 3;
    for (let i = 0; i < 4; i++) {
      this.positions.push(...corners[i]);
      this.normals.push(...normal);
      if (color) this.colors.push(color.r, color.g, color.b);
    }
    if (uv) this.uvs.push(uv[0], uv[3], uv[2], uv[3], uv[2], uv[1], uv[0], uv[1]);
    this.indices.push(base, base + 1, base + 2, base, base + 2, base + 3);
  }

  box(cx, cy, cz, sx, sy, sz) {
    const x0 = cx - sx / 2, x1 = cx + sx / 2;
    const y0 = cy - sy / 2, y1 = cy + sy / 2;
    const z0 = cz - sz / 2, z1 = cz + sz / 2;
    this.quad([[x1, y0, z1], [x1, y0, z0], [x1, y1, z0], [x1, y1, z1]], [1, 0, 0]);
    this.quad([[x0, y0, z0], [x0, y0, z1], [x0, y1, z1], [x0, y1, z0]], [-1, 0, 0]);
    this.quad([[x0, y1, z1], [x1, y1, z1], [x1, y1, z0], [x0, y1, z0]], [0, 1, 0]);
    this.quad([[x0, y0, z0], [x1, y0, z0], [x1, y0, z1], [x0, y0, z1]], [0, -1, 0]);
    this.quad([[x0, y0, z1], [x1, y0, z1], [x1, y1, z1], [x0, y1, z1]], [0, 0, 1]);
    this.quad([[x1, y0, z0], [x0, y0, z0], [x0, y1, z0], [x1, y1, z0]], [0, 0, -1]);
  }

  geometry() {
    const g = new BufferGeometry();
    g.setAttribute("position", new BufferAttribute(new Float32Array(this.positions), 3));
    g.setAttribute("normal", new BufferAttribute(new Float32Array(this.normals), 3));
    if (this.colors.length) g.setAttribute("color", new BufferAttribute(new Float32Array(this.colors), 3));
    if (this.uvs.length) g.setAttribute("uv", new BufferAttribute(new Float32Array(this.uvs), 2));
    g.setIndex(this.indices);
    return g;
  }
}

// The back panel of a booth: along the side opposite the one it faces.
function panelOf(b) {
  const t = PANEL_THICKNESS;
  switch (b.facing) {
    case "N": return { x: b.x + b.w / 2, z: b.y + b.d - t / 2, sx: b.w, sz: t };
    case "S": return { x: b.x + b.w / 2, z: b.y + t / 2, sx: b.w, sz: t };
    case "E": return { x: b.x + t / 2, z: b.y + b.d / 2, sx: t, sz: b.d };
    default: return { x: b.x + b.w - t / 2, z: b.y + b.d / 2, sx: t, sz: b.d };
  }
}

// A vertical quad on the front face of a booth's panel: centre height y, size w x h.
function faceQuad(b, y, w, h) {
  const p = panelOf(b);
  const [ox, oz] = OUTWARD[b.facing];
  const depth = (b.facing === "N" || b.facing === "S" ? p.sz : p.sx) / 2 + 0.02;
  const cx = p.x + ox * depth;
  const cz = p.z + oz * depth;
  // Right-hand direction for a viewer looking at the face (counter-clockwise: front-facing).
  const rx = oz, rz = -ox;
  const hw = w / 2, y0 = y - h / 2, y1 = y + h / 2;
  return {
    corners: [
      [cx - rx * hw, y0, cz - rz * hw],
      [cx + rx * hw, y0, cz + rz * hw],
      [cx + rx * hw, y1, cz + rz * hw],
      [cx - rx * hw, y1, cz - rz * hw],
    ],
    normal: [ox, 0, oz],
  };
}

function faceWidth(b) {
  return b.facing === "N" || b.facing === "S" ? b.w : b.d;
}

// One canvas cut into equal cells, one per booth; returns the cell's UV rectangle.
function atlas(count, cellW, cellH) {
  const cols = Math.max(1, Math.ceil(Math.sqrt((count * cellH) / cellW)));
  const rows = Math.max(1, Math.ceil(count / cols));
  const canvas = document.createElement("canvas");
  canvas.width = cols * cellW;
  canvas.height = rows * cellH;
  const cell = (i) => {
    const c = i % cols, r = Math.floor(i / cols);
    return { x: c * cellW, y: r * cellH, uv: [c / cols, 1 - r / rows, (c + 1) / cols, 1 - (r + 1) / rows] };
  };
  return { canvas, ctx: canvas.getContext("2d"), cell, cellW, cellH };
}

function fitText(ctx, text, maxWidth, size, weight) {
  let px = size;
  ctx.font = `${weight} ${px}px system-ui, sans-serif`;
  while (px > 12 && ctx.measureText(text).width > maxWidth) {
    px -= 2;
    ctx.font = `${weight} ${px}px system-ui, sans-serif`;
  }
}

function texture(canvas) {
  const t = new CanvasTexture(canvas);
  t.colorSpace = SRGBColorSpace;
  return t;
}

// ---- the hall ---------------------------------------------------------------------------

async function main() {
  let renderer;
  try {
    renderer = new WebGLRenderer({ antialias: false, powerPreference: "low-power" });
  } catch (e) {
    fail(S.no_webgl);
    return;
  }
  const res = await fetch(config.scene, { headers: { Accept: "application/json" } });
  if (!res.ok) {
    fail(S.load_failed);
    return;
  }
  const data = await res.json();
  const [primary, secondary] = data.mall.colors;
  const frontDesk = data.booths.find((b) => !b.tenant) || null;
  // What the second line of a sign and the panel say of where a booth's tenant is served: its
  // own counters, or (a Mini MPP's tenants, who have none) the front desk.
  const whereServed = (b) => counterLabel(b) || (b.tenant && frontDesk ? S.at_front_desk : "");

  renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 1.5));
  stage.appendChild(renderer.domElement);
  renderer.domElement.setAttribute("aria-hidden", "true");

  const scene = new Scene();
  scene.background = new Color("#dfe7ea");
  scene.add(new HemisphereLight(0xffffff, 0x8a9aa8, 2.2));
  const sun = new DirectionalLight(0xffffff, 1.3);
  sun.position.set(0.4, 1, 0.6);
  scene.add(sun);
  const camera = new PerspectiveCamera(60, 1, 0.1, 300);

  const add = (mesh) => {
    mesh.frustumCulled = false;
    scene.add(mesh);
    return mesh;
  };

  // Floors, one quad per room, coloured by the room's kind.
  const floors = new Batch();
  for (const r of data.rooms) {
    const c = new Color(FLOOR_COLORS[r.kind] || FLOOR_COLORS.service);
    floors.quad(
      [[r.x, 0, r.y + r.d], [r.x + r.w, 0, r.y + r.d], [r.x + r.w, 0, r.y], [r.x, 0, r.y]],
      [0, 1, 0],
      c,
    );
  }
  add(new Mesh(floors.geometry(), new MeshLambertMaterial({ vertexColors: true })));

  // Walls: four partitions around every room.
  const walls = new Batch();
  const h = WALL_HEIGHT, t = WALL_THICKNESS;
  for (const r of data.rooms) {
    walls.box(r.x + r.w / 2, h / 2, r.y, r.w, h, t);
    walls.box(r.x + r.w / 2, h / 2, r.y + r.d, r.w, h, t);
    walls.box(r.x, h / 2, r.y + r.d / 2, t, h, r.d);
    walls.box(r.x + r.w, h / 2, r.y + r.d / 2, t, h, r.d);
  }
  add(new Mesh(walls.geometry(), new MeshLambertMaterial({ color: "#c3ccd2" })));

  // Booths (back panels) and counters (desks): one instanced box each.
  const unitBox = new BoxGeometry(1, 1, 1);
  const m = new Matrix4();
  const booths = add(
    new InstancedMesh(unitBox, new MeshLambertMaterial({ color: primary }), Math.max(1, data.booths.length)),
  );
  booths.count = data.booths.length;
  data.booths.forEach((b, i) => {
    const p = panelOf(b);
    m.makeScale(p.sx, PANEL_HEIGHT, p.sz).setPosition(p.x, PANEL_HEIGHT / 2, p.z);
    booths.setMatrixAt(i, m);
  });
  const deskOwner = [];
  const allDesks = data.booths.flatMap((b) => b.counters.map((c) => ({ b, c })));
  const desks = add(
    new InstancedMesh(unitBox, new MeshLambertMaterial({ color: "#d8c49c" }), Math.max(1, allDesks.length)),
  );
  desks.count = allDesks.length;
  allDesks.forEach(({ b, c }, i) => {
    const across = b.facing === "N" || b.facing === "S";
    m.makeScale(across ? DESK.w : DESK.d, DESK.h, across ? DESK.d : DESK.w).setPosition(c.x, DESK.h / 2, c.y);
    desks.setMatrixAt(i, m);
    deskOwner.push(b);
  });

  // Signs: tenant short name and counter numbers, one atlas for all booths.
  const signs = atlas(data.booths.length, 512, 128);
  const signBatch = new Batch();
  data.booths.forEach((b, i) => {
    const cell = signs.cell(i);
    const g = signs.ctx;
    g.fillStyle = "#ffffff";
    g.fillRect(cell.x, cell.y, 512, 128);
    g.fillStyle = primary;
    g.fillRect(cell.x, cell.y + 118, 512, 10);
    g.textAlign = "center";
    g.textBaseline = "middle";
    g.fillStyle = "#12312a";
    fitText(g, boothName(b), 490, 58, "bold");
    g.fillText(boothName(b), cell.x + 256, cell.y + 44);
    g.fillStyle = "#33524a";
    fitText(g, whereServed(b), 490, 34, "normal");
    g.fillText(whereServed(b), cell.x + 256, cell.y + 94);
    const w = Math.min(faceWidth(b) * 0.92, 1.8);
    const q = faceQuad(b, 2.2, w, w / 4);
    signBatch.quad(q.corners, q.normal, null, cell.uv);
  });
  add(new Mesh(signBatch.geometry(), new MeshBasicMaterial({ map: texture(signs.canvas) })));

  // Live badges: waiting count and whether an officer is at an open counter.
  const badges = atlas(data.booths.length, 256, 128);
  const badgeTexture = texture(badges.canvas);
  const badgeBatch = new Batch();
  data.booths.forEach((b) => {
    const w = Math.min(faceWidth(b) * 0.5, 1.0);
    const q = faceQuad(b, 1.45, w, w / 2);
    badgeBatch.quad(q.corners, q.normal, null, badges.cell(data.booths.indexOf(b)).uv);
  });
  add(new Mesh(badgeBatch.geometry(), new MeshBasicMaterial({ map: badgeTexture })));
  const live = new Map(); // booth id -> { waiting, officer }
  let badgeSignature = "";

  function drawBadges() {
    const signature = data.booths.map((b) => {
      const l = live.get(b.id);
      return l ? `${l.waiting}:${l.officer ? 1 : 0}` : "-";
    }).join(",");
    if (signature === badgeSignature) return false;
    badgeSignature = signature;
    const g = badges.ctx;
    data.booths.forEach((b, i) => {
      const cell = badges.cell(i);
      const l = live.get(b.id);
      g.fillStyle = "#10231e";
      g.fillRect(cell.x, cell.y, 256, 128);
      g.textAlign = "center";
      g.textBaseline = "middle";
      g.fillStyle = "#ffffff";
      g.font = "bold 54px system-ui, sans-serif";
      g.fillText(l ? String(l.waiting) : "–", cell.x + 128, cell.y + 40);
      g.font = "24px system-ui, sans-serif";
      g.fillText(S.waiting_short, cell.x + 128, cell.y + 80);
      g.fillStyle = l && l.officer ? "#3ad07a" : "#8a949a";
      g.fillRect(cell.x, cell.y + 106, 256, 22);
    });
    badgeTexture.needsUpdate = true;
    return true;
  }
  drawBadges();

  // A Mini MPP's portal to the main MPP, at the entrance.
  let portal = null;
  if (data.portal) {
    const g = new BoxGeometry(1.8, 2.6, 0.4);
    g.translate(data.portal.x, 1.3, data.portal.y);
    portal = add(new Mesh(g, new MeshLambertMaterial({ color: secondary, emissive: secondary, emissiveIntensity: 0.3 })));
  }

  // The visitor's marker and the highlight (a floor pad: the entrance, then the chosen booth).
  const marker = add(
    new Mesh(new BoxGeometry(0.35, MARKER_HEIGHT, 0.35), new MeshLambertMaterial({ color: secondary })),
  );
  const highlight = add(
    new Mesh(
      new BoxGeometry(1, 0.04, 1),
      new MeshBasicMaterial({ color: "#f2b705", transparent: true, opacity: 0.55, depthWrite: false }),
    ),
  );
  highlight.scale.set(2, 1, 2);
  highlight.position.set(data.entrance.x, 0.02, data.entrance.y);

  // ---- the visitor ----------------------------------------------------------------------
  const centre = { x: data.size.w / 2, z: data.size.d / 2 };
  const dx0 = centre.x - data.entrance.x, dz0 = centre.z - data.entrance.y;
  const len0 = Math.hypot(dx0, dz0) || 1;
  const step0 = Math.min(4, len0);
  const me = {
    x: data.entrance.x + (dx0 / len0) * step0,
    z: data.entrance.y + (dz0 / len0) * step0,
    yaw: Math.atan2(-dx0, -dz0),
  };
  let glide = null; // { from, to, route, lengths, start, duration }
  const joystick = { active: false, x: 0, y: 0 };
  let lastTime = null;

  // What the visitor cannot walk into: each booth's floor (its panel and the officers' side)
  // and each desk, widened by a body's half-width. Room partitions stay walkable: they are
  // waist-high and the plan has no doorways in them.
  const obstacles = [
    ...data.booths.map((b) => ({ x0: b.x, z0: b.y, x1: b.x + b.w, z1: b.y + b.d })),
    ...allDesks.map(({ b, c }) => {
      const across = b.facing === "N" || b.facing === "S";
      const hw = (across ? DESK.w : DESK.d) / 2, hd = (across ? DESK.d : DESK.w) / 2;
      return { x0: c.x - hw, z0: c.y - hd, x1: c.x + hw, z1: c.y + hd };
    }),
  ].map((o) => ({ x0: o.x0 - BODY, z0: o.z0 - BODY, x1: o.x1 + BODY, z1: o.z1 + BODY }));
  const inside = (o, x, z) => x > o.x0 && x < o.x1 && z > o.z0 && z < o.z1;
  const clampX = (x) => Math.min(Math.max(x, 0.3), data.size.w - 0.3);
  const clampZ = (z) => Math.min(Math.max(z, 0.3), data.size.d - 0.3);

  // One small move along one axis, refused when it enters an obstacle. A visitor who stands
  // in one already (a glide ends anywhere) may still move, and so walk out.
  function nudge(dx, dz) {
    const x = clampX(me.x + dx), z = clampZ(me.z + dz);
    if (obstacles.some((o) => inside(o, x, z) && !inside(o, me.x, me.z))) return;
    me.x = x;
    me.z = z;
  }

  // ---- routes of glides: straight when nothing is in the way, else round it ----------------
  // Obstacles a route from (x, z) must keep out of: all but those the visitor already stands in.
  const blocking = (x, z) => obstacles.filter((o) => !inside(o, x, z));
  // Whether the straight stretch a -> b keeps out of `among`, checked every SIGHT metres.
  function clear(a, b, among) {
    const n = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.z - a.z) / SIGHT));
    for (let i = 0; i <= n; i += 1) {
      const x = a.x + ((b.x - a.x) * i) / n, z = a.z + ((b.z - a.z) * i) / n;
      if (among.some((o) => inside(o, x, z))) return false;
    }
    return true;
  }
  const columns = Math.max(1, Math.ceil(data.size.w / CELL));
  const rows = Math.max(1, Math.ceil(data.size.d / CELL));
  const cellOf = (v, count) => Math.min(count - 1, Math.max(0, Math.floor(v / CELL)));
  const centreOf = (i) => (i + 0.5) * CELL;
  // The points a glide from `from` to `to` passes: [from, to] when the straight line is clear;
  // else the A* route over the grid's free squares, pulled tight (each point joined to the
  // farthest later one it sees). A target no route reaches gets the straight line.
  function route(from, to) {
    const among = blocking(from.x, from.z);
    const straight = [{ x: from.x, z: from.z }, { x: to.x, z: to.z }];
    if (clear(from, to, among)) return straight;
    const grid = new Grid(columns, rows);
    for (const o of among) { // the squares whose centre is inside the obstacle
      const i1 = Math.min(columns - 1, Math.ceil(o.x1 / CELL - 0.5) - 1);
      const j1 = Math.min(rows - 1, Math.ceil(o.z1 / CELL - 0.5) - 1);
      for (let j = Math.max(0, Math.floor(o.z0 / CELL - 0.5) + 1); j <= j1; j += 1) {
        for (let i = Math.max(0, Math.floor(o.x0 / CELL - 0.5) + 1); i <= i1; i += 1) {
          grid.setWalkableAt(i, j, false);
        }
      }
    }
    const [si, sj] = [cellOf(from.x, columns), cellOf(from.z, rows)];
    const [ti, tj] = [cellOf(to.x, columns), cellOf(to.z, rows)];
    grid.setWalkableAt(si, sj, true);
    if (!grid.isWalkableAt(ti, tj)) return straight;
    const finder = new AStarFinder({ diagonalMovement: DiagonalMovement.OnlyWhenNoObstacles });
    const cells = finder.findPath(si, sj, ti, tj, grid);
    if (cells.length < 2) return straight;
    const points = [
      straight[0],
      ...cells.slice(1, -1).map(([i, j]) => ({ x: centreOf(i), z: centreOf(j) })),
      straight[1],
    ];
    const tight = [points[0]];
    let at = 0;
    while (at < points.length - 1) {
      let next = points.length - 1;
      while (next > at + 1 && !clear(points[at], points[next], among)) next -= 1;
      tight.push(points[next]);
      at = next;
    }
    return tight;
  }
  // Where a glide along `route` stands after `d` metres of it.
  function along(g, d) {
    for (let i = 1; i < g.route.length; i += 1) {
      const len = g.lengths[i] - g.lengths[i - 1];
      if (d <= g.lengths[i] || i === g.route.length - 1) {
        const k = len > 0 ? Math.min(1, Math.max(0, (d - g.lengths[i - 1]) / len)) : 1;
        const a = g.route[i - 1], b = g.route[i];
        return { x: a.x + (b.x - a.x) * k, z: a.z + (b.z - a.z) * k };
      }
    }
    return g.route[g.route.length - 1];
  }

  // Walks (dx, dz) in steps of at most STRIDE, each axis on its own: blocked along one axis,
  // the visitor slides along the booth's side instead of stopping dead.
  function walk(dx, dz) {
    const n = Math.max(1, Math.ceil(Math.hypot(dx, dz) / STRIDE));
    for (let i = 0; i < n; i += 1) {
      nudge(dx / n, 0);
      nudge(0, dz / n);
    }
  }

  const boom = new Raycaster();
  const boomFrom = new Vector3();
  const boomDir = new Vector3();
  function place() {
    const fx = -Math.sin(me.yaw), fz = -Math.cos(me.yaw);
    marker.position.set(me.x, MARKER_HEIGHT / 2, me.z);
    marker.rotation.y = me.yaw;
    boom.set(boomFrom.set(me.x, EYE.up, me.z), boomDir.set(-fx, 0, -fz));
    boom.far = EYE.back;
    const behind = boom.intersectObject(booths, false)[0];
    const back = behind ? Math.max(0.2, behind.distance - 0.25) : EYE.back;
    camera.position.set(me.x - fx * back, EYE.up, me.z - fz * back);
    camera.lookAt(me.x + fx * EYE.ahead, EYE.look, me.z + fz * EYE.ahead);
    camera.updateMatrixWorld();
  }

  // Advances glides and joystick movement; true while something still moves.
  function step(now) {
    const dt = lastTime == null ? 0 : Math.min((now - lastTime) / 1000, 0.1);
    lastTime = now;
    let moving = false;
    if (glide) {
      const k = Math.min(1, (now - glide.start) / glide.duration);
      const e = k < 0.5 ? 2 * k * k : 1 - Math.pow(-2 * k + 2, 2) / 2;
      const at = along(glide, glide.lengths[glide.lengths.length - 1] * e);
      me.x = at.x;
      me.z = at.z;
      me.yaw = glide.from.yaw + glide.turn * e;
      if (k >= 1) glide = null;
      else moving = true;
    }
    if (joystick.active && (joystick.x || joystick.y)) {
      const fx = -Math.sin(me.yaw), fz = -Math.cos(me.yaw);
      const forward = -joystick.y * SPEED * dt, right = joystick.x * SPEED * dt;
      walk(fx * forward - fz * right, fz * forward + fx * right);
      moving = true;
    } else if (joystick.active) {
      moving = true; // held at the centre: keep listening without moving
    }
    if (!moving) lastTime = null;
    place();
    return moving;
  }

  // ---- rendering on demand -------------------------------------------------------------
  let frames = 0;
  let firstFrameAt = null; // ms since navigation start (the benchmark's time to first frame)
  let scheduled = false;
  let lastStats = { calls: 0, triangles: 0 };

  function frame(now) {
    scheduled = false;
    const moving = step(now);
    renderer.render(scene, camera);
    frames += 1;
    lastStats = { calls: renderer.info.render.calls, triangles: renderer.info.render.triangles };
    if (frames === 1) {
      firstFrameAt = performance.now();
      document.body.dataset.hallState = "ready";
      statusLine.hidden = true;
    }
    if (moving) requestRender();
  }

  function requestRender() {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(frame);
  }

  let size = "";
  function resize() { // the observer calls it once at the start, then on every real change
    const w = stage.clientWidth, hgt = stage.clientHeight;
    if (`${w}x${hgt}` === size) return;
    size = `${w}x${hgt}`;
    renderer.setSize(w, hgt, true);
    camera.aspect = w / Math.max(1, hgt);
    camera.fov = camera.aspect < 1 ? 75 : 60; // a phone held upright sees a narrow slice
    camera.updateProjectionMatrix();
    requestRender();
  }
  new ResizeObserver(resize).observe(stage);

  // ---- moving: glide, snap turns, joystick, keys ---------------------------------------
  let lastRoute = null; // the points of the last glide, for the tests
  function goTo(target) {
    glide = null;
    if (reducedMotion.matches) {
      Object.assign(me, target);
      requestRender();
      return;
    }
    let turn = target.yaw - me.yaw;
    turn = Math.atan2(Math.sin(turn), Math.cos(turn)); // the shorter way round
    const path = route(me, target);
    const lengths = [0];
    for (let i = 1; i < path.length; i += 1) {
      lengths.push(lengths[i - 1] + Math.hypot(path[i].x - path[i - 1].x, path[i].z - path[i - 1].z));
    }
    lastRoute = path;
    const dist = lengths[lengths.length - 1];
    const duration = Math.min(2400, Math.max(400, (dist / 4) * 1000));
    glide = { from: { ...me }, to: target, route: path, lengths, turn, start: performance.now(), duration };
    requestRender();
  }

  function standInFront(b) {
    const [ox, oz] = OUTWARD[b.facing];
    const fw = b.facing === "N" || b.facing === "S" ? b.d : b.w;
    const dist = fw / 2 + 1.4; // just clear of the desks on the front edge
    const target = {
      x: b.x + b.w / 2 + ox * dist,
      z: b.y + b.d / 2 + oz * dist,
      yaw: YAW_TO_FACE[b.facing],
    };
    target.x = Math.min(Math.max(target.x, 0.3), data.size.w - 0.3);
    target.z = Math.min(Math.max(target.z, 0.3), data.size.d - 0.3);
    return target;
  }

  document.querySelectorAll("[data-turn]").forEach((btn) =>
    btn.addEventListener("click", () => {
      const turn = Number(btn.dataset.turn) * TURN;
      if (glide) glide = null;
      me.yaw += turn;
      requestRender();
    }),
  );

  const pad = document.querySelector("[data-joystick]");
  const knob = pad.querySelector("[data-knob]");
  function padMove(e) {
    const r = pad.getBoundingClientRect();
    const radius = r.width / 2;
    let x = (e.clientX - r.left - radius) / radius;
    let y = (e.clientY - r.top - radius) / radius;
    const l = Math.hypot(x, y);
    if (l > 1) { x /= l; y /= l; }
    joystick.x = Math.abs(x) < 0.15 ? 0 : x;
    joystick.y = Math.abs(y) < 0.15 ? 0 : y;
    knob.style.transform = `translate(${x * radius * 0.6}px, ${y * radius * 0.6}px)`;
  }
  pad.addEventListener("pointerdown", (e) => {
    pad.setPointerCapture(e.pointerId);
    joystick.active = true;
    glide = null;
    padMove(e);
    requestRender();
  });
  pad.addEventListener("pointermove", (e) => { if (joystick.active) padMove(e); });
  const padEnd = () => {
    joystick.active = false;
    joystick.x = joystick.y = 0;
    knob.style.transform = "";
  };
  pad.addEventListener("pointerup", padEnd);
  pad.addEventListener("pointercancel", padEnd);

  const keys = { ArrowUp: [0, -1], ArrowDown: [0, 1], w: [0, -1], s: [0, 1] };
  window.addEventListener("keydown", (e) => {
    if (e.target.closest && e.target.closest("input, textarea, select")) return;
    if (e.key === "ArrowLeft" || e.key === "q") { me.yaw += TURN; requestRender(); return; }
    if (e.key === "ArrowRight" || e.key === "e") { me.yaw -= TURN; requestRender(); return; }
    const k = keys[e.key];
    if (!k) return;
    e.preventDefault();
    const fx = -Math.sin(me.yaw), fz = -Math.cos(me.yaw);
    walk(fx * -k[1] * 1.5, fz * -k[1] * 1.5);
    requestRender();
  });

  // ---- tapping: booths, counters and the portal ----------------------------------------
  const raycaster = new Raycaster();
  const ndc = new Vector2();

  function hitAt(clientX, clientY) {
    const r = renderer.domElement.getBoundingClientRect();
    ndc.set(((clientX - r.left) / r.width) * 2 - 1, -((clientY - r.top) / r.height) * 2 + 1);
    raycaster.setFromCamera(ndc, camera);
    const targets = [booths, desks, ...(portal ? [portal] : [])];
    const hit = raycaster.intersectObjects(targets, false)[0];
    if (!hit) return null;
    if (hit.object === portal) return { portal: true };
    if (hit.object === booths) return { booth: data.booths[hit.instanceId] };
    return { booth: deskOwner[hit.instanceId] };
  }

  let down = null;
  renderer.domElement.addEventListener("pointerdown", (e) => {
    down = { x: e.clientX, y: e.clientY, t: performance.now() };
  });
  // On click, not pointerup: a panel opened at pointerup would sit under the finger and take
  // the click the browser synthesises from the same touch (a "ghost click" on its links).
  renderer.domElement.addEventListener("click", (e) => {
    if (!down) return;
    const moved = Math.hypot(e.clientX - down.x, e.clientY - down.y);
    const quick = performance.now() - down.t < 600;
    down = null;
    if (moved > 12 || !quick) return;
    const hit = hitAt(e.clientX, e.clientY);
    if (hit && hit.portal) openPortal();
    else if (hit && hit.booth) chooseBooth(hit.booth);
  });

  // ---- the booth panel -----------------------------------------------------------------
  const panel = document.querySelector("[data-panel]");
  const panelName = panel.querySelector("[data-panel-name]");
  const panelLive = panel.querySelector("[data-panel-live]");
  const panelNote = panel.querySelector("[data-panel-note]");
  const panelTicket = panel.querySelector("[data-panel-ticket]");
  const panelAsk = panel.querySelector("[data-panel-ask]");
  const panelPortal = panel.querySelector("[data-panel-portal]");
  let chosen = null;

  function liveText(b) {
    const l = live.get(b.id);
    if (!l) return S.live_unknown;
    return `${format(S.waiting, { n: l.waiting })} · ${l.officer ? S.officer_on : S.officer_off}`;
  }

  function showPanel() {
    panel.hidden = false;
    panel.querySelector("[data-panel-close]").focus({ preventScroll: true });
  }

  function panelLiveText(b) {
    const where = whereServed(b);
    return where ? `${where} · ${liveText(b)}` : liveText(b);
  }

  function chooseBooth(b) {
    chosen = b;
    panelLive.textContent = panelLiveText(b);
    panelTicket.hidden = false;
    panelPortal.hidden = true;
    if (b.tenant) {
      const tenantUrl = `${config.tenantBase}${encodeURIComponent(b.tenant.slug)}/`;
      panelName.textContent = b.tenant.name;
      panelTicket.href = tenantUrl;
      panelAsk.href = `${tenantUrl}tanya/`;
      panelAsk.hidden = false;
      panelNote.hidden = true;
    } else {
      // The front desk: numbers are taken per tenant's service, chosen on the list; chat is
      // per tenant, so there is no one to ask here.
      panelName.textContent = S.front_desk;
      panelTicket.href = config.hallList;
      panelAsk.hidden = true;
      panelNote.textContent = S.front_desk_hint;
      panelNote.hidden = false;
    }
    panel.dataset.booth = String(b.id);
    showPanel();
    highlight.scale.set(b.w + 0.6, 1, b.d + 0.6);
    highlight.position.set(b.x + b.w / 2, 0.02, b.y + b.d / 2);
    goTo(standInFront(b));
    announcePresence(b.id);
  }

  function openPortal() {
    chosen = null;
    panelName.textContent = format(S.portal_to, { name: data.portal.name });
    panelLive.textContent = S.portal_hint;
    panelTicket.hidden = panelAsk.hidden = panelNote.hidden = true;
    panelPortal.hidden = false;
    panelPortal.href = config.hallPattern.replace("__slug__", encodeURIComponent(data.portal.to));
    panel.dataset.booth = "portal";
    showPanel();
  }

  panel.querySelector("[data-panel-close]").addEventListener("click", () => {
    panel.hidden = true;
    delete panel.dataset.booth;
    chosen = null;
    announcePresence(null);
  });

  // ---- live counts: the board snapshot, then the mall's events -------------------------
  const countersByNumber = new Map();
  let seq = -1;
  let liveLoads = 0;
  let socketOpen = false;

  function applySnapshot(snap) {
    seq = snap.seq;
    const waitingByLetter = new Map(snap.waiting.map((w) => [w.letter, w.count]));
    countersByNumber.clear();
    for (const c of snap.counters) countersByNumber.set(c.number, c.status);
    for (const b of data.booths) {
      const letters = (b.tenant ? config.letters[String(b.tenant.id)] : config.frontLetters) || [];
      const waiting = letters.reduce((sum, l) => sum + (waitingByLetter.get(l) || 0), 0);
      // A tenant without counters of its own is served at the front desk: its officers are.
      const serving = b.counters.length || !frontDesk ? b.counters : frontDesk.counters;
      const officer = serving.some((c) => countersByNumber.get(c.number) === "open");
      live.set(b.id, { waiting, officer });
    }
    liveLoads += 1;
    if (chosen) panelLive.textContent = panelLiveText(chosen);
    if (drawBadges()) requestRender();
  }

  async function loadSnapshot() {
    const r = await fetch(config.board, { headers: { Accept: "application/json" } });
    if (!r.ok) throw new Error(`board ${r.status}`);
    applySnapshot(await r.json());
  }

  let refreshTimer = null;
  function refreshSoon() { // one snapshot for a burst of events
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => loadSnapshot().catch(() => {}), 500);
  }

  let polling = null;
  function connect(delay = 1000) {
    const proto = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${proto}://${location.host}${config.ws}`);
    ws.onopen = () => {
      socketOpen = true;
      clearInterval(polling);
      polling = null;
      delay = 1000;
      loadSnapshot().catch(() => {});
    };
    ws.onmessage = (m) => {
      const msg = JSON.parse(m.data);
      if (typeof msg.seq !== "number" || msg.seq <= seq) return;
      if (msg.seq > seq + 1) { loadSnapshot().catch(() => {}); return; }
      seq = msg.seq;
      refreshSoon();
    };
    ws.onclose = () => {
      socketOpen = false;
      if (!polling) polling = setInterval(() => loadSnapshot().catch(() => {}), 15000);
      setTimeout(() => connect(Math.min(delay * 2, 30000)), delay);
    };
  }

  // ---- presence (issue 5, item 4) ------------------------------------------------------
  // The hook the hall's presence channel plugs into: tells it at which booth the visitor
  // stands (null: none), without identifying anyone. Sends nothing when the page has no
  // presence route (config.presence is null).
  // Frames it receives (counts only) change text on the page, never the 3D scene.
  let presence = null;
  let presenceAt = null;
  const visitorsLine = document.querySelector("[data-visitors]");
  function announcePresence(boothId) {
    presenceAt = boothId;
    if (presence && presence.readyState === WebSocket.OPEN) {
      presence.send(JSON.stringify({ type: "at", booth: boothId }));
    }
  }
  function connectPresence(delay = 2000) {
    if (!config.presence) return;
    const proto = location.protocol === "https:" ? "wss" : "ws";
    presence = new WebSocket(`${proto}://${location.host}${config.presence}`);
    presence.onopen = () => { delay = 2000; announcePresence(presenceAt); };
    presence.onmessage = (m) => {
      const msg = JSON.parse(m.data);
      if (msg.type === "presence" && visitorsLine) {
        visitorsLine.textContent = format(S.visitors, { n: msg.hall });
      }
    };
    presence.onclose = () => setTimeout(() => connectPresence(Math.min(delay * 2, 60000)), delay);
  }
  // The server forgets a visitor who says nothing for 75 s: a keep-alive every 30 s.
  setInterval(() => announcePresence(presenceAt), 30000);

  // ---- for tests and the benchmark -----------------------------------------------------
  const projected = new Vector3();
  window.mppHall = {
    renderer,
    scene,
    get frames() { return frames; },
    get pending() { return scheduled; },
    get firstFrameAt() { return firstFrameAt; },
    get liveLoads() { return liveLoads; },
    get connected() { return socketOpen; },
    stats() {
      return { calls: lastStats.calls, triangles: lastStats.triangles, frames };
    },
    budget: data.budget,
    booths: data.booths.map((b) => b.id),
    // Where the visitor stands (metres in the plan) and a booth's floor, for the tests.
    get position() { return { x: me.x, z: me.z, yaw: me.yaw }; },
    // The points of the last glide to a booth, and the route a glide from the visitor's place
    // to a booth would take now (null for an unknown booth).
    get lastRoute() { return lastRoute; },
    routeTo(boothId) {
      const b = data.booths.find((x) => x.id === boothId);
      return b ? route(me, standInFront(b)) : null;
    },
    boothFloor(boothId) {
      const b = data.booths.find((x) => x.id === boothId);
      return b ? { x0: b.x, z0: b.y, x1: b.x + b.w, z1: b.y + b.d, facing: b.facing } : null;
    },
    // Where a booth's panel shows on screen (CSS pixels), or null when something else (or
    // nothing) would be hit there: a tap at that point chooses the booth.
    // "portal" gives the portal's position.
    screenPositionOf(boothId) {
      const b = data.booths.find((x) => x.id === boothId);
      if (boothId === "portal" && data.portal) {
        projected.set(data.portal.x, 1.3, data.portal.y).project(camera);
      } else if (b) {
        const p = panelOf(b);
        const [ox, oz] = OUTWARD[b.facing];
        projected.set(p.x + ox * 0.2, 0.6 * PANEL_HEIGHT, p.z + oz * 0.2).project(camera);
      } else {
        return null;
      }
      if (projected.z > 1 || Math.abs(projected.x) > 0.95 || Math.abs(projected.y) > 0.95) return null;
      const r = renderer.domElement.getBoundingClientRect();
      const x = r.left + ((projected.x + 1) / 2) * r.width;
      const y = r.top + ((1 - projected.y) / 2) * r.height;
      const hit = hitAt(x, y);
      if (boothId === "portal") return hit && hit.portal ? { x, y } : null;
      return hit && hit.booth && hit.booth.id === boothId ? { x, y } : null;
    },
    announcePresence,
  };

  place();
  loadSnapshot().catch(() => {}).finally(() => connect());
  connectPresence();
}

// ---- the first-visit tour ---------------------------------------------------------------
function tour() {
  const overlay = document.querySelector("[data-tour]");
  if (!overlay) return;
  const KEY = "metapers.tour.done";
  let seen = false;
  try { seen = localStorage.getItem(KEY) === "1"; } catch (e) { seen = false; }
  if (seen) return;
  const steps = [...overlay.querySelectorAll("[data-tour-step]")];
  let i = 0;
  const show = () => steps.forEach((s, k) => { s.hidden = k !== i; });
  const done = () => {
    overlay.hidden = true;
    try { localStorage.setItem(KEY, "1"); } catch (e) { /* private mode: show it again next time */ }
  };
  overlay.querySelector("[data-tour-next]").addEventListener("click", () => {
    i += 1;
    if (i >= steps.length) done();
    else show();
  });
  overlay.querySelector("[data-tour-skip]").addEventListener("click", done);
  show();
  overlay.hidden = false;
  overlay.querySelector("[data-tour-next]").focus({ preventScroll: true });
}

tour();
main().catch(() => fail(S.load_failed));
