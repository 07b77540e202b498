"""Hono and Express routers composed across files; NestJS controllers; FastAPI routers."""

from __future__ import annotations

from tests.code.helpers import routes, span

HONO_APP = """\
import { Hono } from "hono";
import { routes } from "./routes";

const app = new Hono().basePath("/api");
app.use("*", async (c, next) => next());
app.route("/", routes);
export default app;
"""
HONO_ROUTES = """\
import { Hono } from "hono";
import { zValidator } from "@hono/zod-validator";
import { z } from "zod";
import { handleGetPlans } from "./handlers/plans";

const createSchema = z.object({ name: z.string().max(80) });

function createDayRoutes() {
  return new Hono()
    .get("/", (c) => c.json([]))
    .delete("/:dayId", (c) => c.body(null, 204));
}

function createPlanRoutes() {
  return new Hono()
    .get("/", handleGetPlans)
    .post("/", zValidator("json", createSchema), (c) => c.json({ id: 1 }, 201))
    .route("/:planId/days", createDayRoutes());
}

export const routes = new Hono();
routes.route("/plans", createPlanRoutes());
routes.get("/health", (c) => c.text("ok"));
"""
HONO_HANDLERS = """\
import type { Context } from "hono";
export async function handleGetPlans(c: Context) {
  if (!c.get("user")) return c.json({ error: "UNAUTHORIZED" }, 401);
  return c.json({ data: [] });
}
"""


def test_hono_nested_routers_across_files() -> None:
    files = {"src/app.ts": HONO_APP, "src/routes.ts": HONO_ROUTES, "src/handlers/plans.ts": HONO_HANDLERS}
    found = routes(files, ("hono",))
    assert sorted(found) == [
        "DELETE /api/plans/{}/days/{}",
        "GET /api/health",
        "GET /api/plans",
        "GET /api/plans/{}/days",
        "POST /api/plans",
    ]
    get = found["GET /api/plans"]
    assert get.location.file == "src/routes.ts"
    assert (get.location.range.line, get.location.range.col) == span(HONO_ROUTES, '"/"', 1)[:2]
    assert get.status_codes == (200, 401) and get.statuses_complete
    assert [(c.code, c.status) for c in get.error_codes] == [("UNAUTHORIZED", 401)]
    post = found["POST /api/plans"]
    assert post.status_codes == (201,)
    assert post.request_fields is not None and post.request_fields.names == ("name",)
    assert post.request_fields.fields[0].max_value == 80
    assert found["DELETE /api/plans/{}/days/{}"].status_codes == (204,)


EXPRESS_APP = """\
import express from "express";
import usersRouter from "./users.router";

const app = express();
app.use(express.json());
app.use("/api/users", usersRouter);
app.listen(3000);
"""
EXPRESS_USERS = """\
import { Router } from "express";

const router = Router();

router.get("/", async (req, res) => {
  res.json([]);
});

router.post("/", async (req, res) => {
  if (!req.body.email) return res.status(400).json({ code: "EMAIL_REQUIRED" });
  res.status(201).json({ id: 1 });
});

router.route("/:id").get((req, res) => res.sendStatus(204)).delete((req, res) => res.status(404).end());

export default router;
"""


def test_express_routers_with_use_prefixes() -> None:
    found = routes({"src/app.ts": EXPRESS_APP, "src/users.router.ts": EXPRESS_USERS}, ("express",))
    assert sorted(found) == ["DELETE /api/users/{}", "GET /api/users", "GET /api/users/{}", "POST /api/users"]
    post = found["POST /api/users"]
    assert post.status_codes == (201, 400) and post.statuses_complete
    assert [(c.code, c.status) for c in post.error_codes] == [("EMAIL_REQUIRED", 400)]
    assert found["GET /api/users"].status_codes == (200,)
    assert found["GET /api/users/{}"].status_codes == (204,)
    assert found["DELETE /api/users/{}"].status_codes == (404,)


NEST_MAIN = """\
import { NestFactory } from "@nestjs/core";
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.setGlobalPrefix("api");
  await app.listen(3000);
}
bootstrap();
"""
NEST_CONTROLLER = """\
import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from "@nestjs/common";
import { PlansService } from "./plans.service";
import { CreatePlanDto } from "./dto/create-plan.dto";

@Controller("plans")
export class PlansController {
  constructor(private readonly plansService: PlansService) {}

  @Get(":id")
  findOne(@Param("id") id: string) {
    return this.plansService.findOne(id);
  }

  @Post()
  create(@Body() dto: CreatePlanDto, @Query("dryRun") dryRun?: string) {
    return this.plansService.create(dto);
  }

  @Post(":id/archive")
  @HttpCode(HttpStatus.OK)
  archive(@Param("id") id: string) {
    return { archived: true };
  }
}
"""
NEST_SERVICE = """\
import { ConflictException, Injectable, NotFoundException } from "@nestjs/common";
@Injectable()
export class PlansService {
  async findOne(id: string) {
    if (!id) throw new NotFoundException("Plan not found");
    return { id };
  }
  async create(dto: unknown) {
    throw new ConflictException({ code: "PLAN_EXISTS" });
  }
}
"""
NEST_DTO = """\
import { IsString, MaxLength } from "class-validator";
export class CreatePlanDto {
  @IsString() @MaxLength(80) name: string;
  @IsString() description?: string;
}
"""


def test_nest_controllers() -> None:
    files = {
        "src/main.ts": NEST_MAIN,
        "src/plans/plans.controller.ts": NEST_CONTROLLER,
        "src/plans/plans.service.ts": NEST_SERVICE,
        "src/plans/dto/create-plan.dto.ts": NEST_DTO,
    }
    found = routes(files, ("nestjs",))
    assert sorted(found) == ["GET /api/plans/{}", "POST /api/plans", "POST /api/plans/{}/archive"]
    get = found["GET /api/plans/{}"]
    assert get.status_codes == (200, 404) and get.statuses_complete
    assert (get.location.range.line, get.location.range.col) == span(NEST_CONTROLLER, 'Get(":id")')[:2]
    post = found["POST /api/plans"]
    assert post.status_codes == (201, 409)
    assert [(c.code, c.status) for c in post.error_codes] == [("PLAN_EXISTS", 409)]
    assert post.request_fields is not None and post.request_fields.names == ("name", "description")
    assert post.validates_body is True
    assert [q.name for q in post.query_params] == ["dryRun"]
    archive = found["POST /api/plans/{}/archive"]
    assert archive.status_codes == (200,)
    assert archive.response_fields is not None and archive.response_fields.names == ("archived",)


FASTAPI_MAIN = """\
from fastapi import FastAPI
from backend.routers import queries, health

app = FastAPI()
app.include_router(health.router)
app.include_router(queries.router, prefix="/api")


@app.get("/")
async def root():
    return {"ok": True}
"""
FASTAPI_QUERIES = """\
from fastapi import APIRouter, Depends, HTTPException, status
from backend.auth import current_user

router = APIRouter(prefix="/v1/queries", tags=["queries"])


@router.post("", status_code=status.HTTP_202_ACCEPTED)
async def submit(body: dict, user: str = Depends(current_user)):
    if not body:
        raise HTTPException(status_code=400, detail="empty")
    return {"query_id": "x"}


@router.delete("/{query_id}", status_code=204)
async def delete(query_id: str):
    if query_id == "x":
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="missing")
"""
FASTAPI_HEALTH = """\
from fastapi import APIRouter
from fastapi.responses import JSONResponse

router = APIRouter()


@router.get("/health")
def health():
    return JSONResponse(status_code=503, content={"status": "down"})
"""
FASTAPI_AUTH = """\
from fastapi import HTTPException


def current_user(token: str = ""):
    if not token:
        raise HTTPException(status_code=401, detail="unauthorized")
    return "user"
"""


def test_fastapi_routers_across_modules() -> None:
    files = {
        "backend/main.py": FASTAPI_MAIN,
        "backend/routers/queries.py": FASTAPI_QUERIES,
        "backend/routers/health.py": FASTAPI_HEALTH,
        "backend/routers/__init__.py": "",
        "backend/auth.py": FASTAPI_AUTH,
    }
    found = routes(files, ("fastapi",))
    assert sorted(found) == ["DELETE /api/v1/queries/{}", "GET /", "GET /health", "POST /api/v1/queries"]
    post = found["POST /api/v1/queries"]
    assert post.status_codes == (202, 400, 401) and post.statuses_complete
    assert (post.location.range.line, post.location.range.col) == span(FASTAPI_QUERIES, '""')[:2]
    assert found["DELETE /api/v1/queries/{}"].status_codes == (204, 404)
    assert found["GET /health"].status_codes == (503,)
    assert found["GET /"].status_codes == (200,)
